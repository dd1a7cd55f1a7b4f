public import SchedTime

/// The `[scheduler]` table: daemon-wide settings plus the defaults every job inherits.
///
/// Every property holds its documented default when the file does not set it (see docs/CONFIG.md).
/// Relative paths have already been resolved against the folder of the main config file.
public struct SchedulerSettings: Hashable, Sendable {
    /// Default zone for cron triggers and local date-times: `timezone`, else the system zone.
    public var zone: Zone
    /// Where run history and job state are kept. Default `/var/lib/schedd`.
    public var stateDirectory: String
    /// The control socket `schedctl` talks to. Default `/run/schedd/control.sock`.
    public var socketPath: String
    /// Group that owns the socket, so its members may use `schedctl`; nil keeps the daemon's group.
    public var socketGroup: String?
    /// Permission bits of the socket. Default `0o660`.
    public var socketMode: Int
    /// How long running jobs get after SIGTERM before they are killed. Default 30 s.
    public var shutdownGrace: Duration
    /// Runs allowed at once, all jobs together. Default 64.
    public var maxConcurrent: Int
    /// Drop-in glob patterns (`schedules.d/*.toml`), resolved against the main file's folder.
    public var include: [String]
    /// Where to write Prometheus text metrics periodically; nil disables the file.
    public var metricsFile: String?
    /// Where to serve `GET /metrics` over plain HTTP (`metrics_listen`); nil serves nothing.
    public var metricsListen: ListenAddress?
    /// Runs of history kept per job. Default 100.
    public var history: Int
    /// Runs older than this are dropped from history; nil keeps them until `history` pushes them out.
    public var historyMaxAge: Duration?
    /// Default for runs interrupted by a crash or shutdown. Default `skip`.
    public var onInterrupted: InterruptedPolicy
    public var logFormat: LogFormat
    /// Defaults for the per-job settings of the same names.
    public var jobDefaults: JobDefaults

    public init(zone: Zone) {
        self.zone = zone
        stateDirectory = "/var/lib/schedd"
        socketPath = "/run/schedd/control.sock"
        socketGroup = nil
        socketMode = 0o660
        shutdownGrace = .seconds(30)
        maxConcurrent = 64
        include = []
        metricsFile = nil
        metricsListen = nil
        history = 100
        historyMaxAge = nil
        onInterrupted = .skip
        logFormat = .text
        jobDefaults = JobDefaults()
    }
}

/// Job settings that `[scheduler]` may set for every job and a job may override.
public struct JobDefaults: Hashable, Sendable {
    /// Longest a run may take before it is stopped; nil means no limit (the default).
    public var timeout: Duration?
    /// Time between SIGTERM and SIGKILL when a run is stopped. Default 10 s.
    public var killGrace: Duration
    /// A firing later than this (daemon down, machine asleep) is recorded as missed. Default 5 min.
    public var misfireGrace: Duration
    /// Several missed firings of one job run once, not once each. Default true.
    public var coalesce: Bool
    /// Runs of one job allowed at once. Default 1.
    public var maxInstances: Int
    /// What to do when a firing finds `maxInstances` runs active. Default `skip`.
    public var onOverlap: OverlapPolicy
    /// Default `RetryPolicy.none`.
    public var retry: RetryPolicy
    /// Random delay added to each firing, uniformly in `0...jitter`. Default 0.
    public var jitter: Duration
    /// Command (argv) run after a run finally fails; nil runs nothing.
    public var onFailure: [String]?
    /// Output lines of one run that go to the daemon's log; later ones are counted, not logged (the run's
    /// record still keeps the last 64 KiB). 0 logs none. Default 1000.
    public var logOutputLines: Int

    public init() {
        timeout = nil
        killGrace = .seconds(10)
        misfireGrace = .seconds(300)
        coalesce = true
        maxInstances = 1
        onOverlap = .skip
        retry = .none
        jitter = .zero
        onFailure = nil
        logOutputLines = 1000
    }
}
