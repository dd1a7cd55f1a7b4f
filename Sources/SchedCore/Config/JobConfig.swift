public import SchedTime

/// One `[jobs.ID]` table after validation: every setting resolved, defaults applied.
public struct JobConfig: Hashable, Sendable {
    /// The table key; matches `[A-Za-z0-9_.-]+`.
    public var id: String
    public var description: String?
    public var trigger: Trigger
    /// The trigger as configured, for listings: `0 0 * * *`, `every 5m`, `at 2026-12-01T09:00:00+01:00`.
    public var triggerText: String
    /// The job's zone: `timezone`, else the scheduler's. A `CRON_TZ=` prefix overrides it for the
    /// cron trigger only (see `Trigger.cron`).
    public var zone: Zone
    /// No firing before this instant.
    public var start: Instant?
    /// No firing after this instant.
    public var end: Instant?
    public var action: JobAction
    /// Absolute directory the job starts in; nil means the job user's home directory.
    public var workingDirectory: String?
    /// Extra environment variables, in the order written.
    public var environment: [EnvironmentVariable]
    /// User and group to run as; nil keeps the daemon's.
    public var user: String?
    public var group: String?
    public var timeout: Duration?
    public var killGrace: Duration
    public var jitter: Duration
    public var misfireGrace: Duration
    public var coalesce: Bool
    public var maxInstances: Int
    public var onOverlap: OverlapPolicy
    public var retry: RetryPolicy
    /// A disabled job is loaded and listed but never fires.
    public var enabled: Bool
    /// Set in a drop-in to replace a job of the same id defined earlier.
    public var replaceExisting: Bool
    public var onInterrupted: InterruptedPolicy
    public var onFailure: [String]?
    /// Output lines of one run written to the daemon's log; see `JobDefaults.logOutputLines`.
    public var logOutputLines: Int
    /// Runs of history kept for this job.
    public var history: Int
    public var historyMaxAge: Duration?
    /// Where the job's `[jobs.ID]` header (or first key) was written.
    public var location: SourceLocation

    /// A job with `settings`' defaults; the loader then applies what the table sets.
    public init(
        id: String,
        trigger: Trigger,
        triggerText: String,
        action: JobAction,
        settings: SchedulerSettings,
        location: SourceLocation
    ) {
        self.id = id
        self.trigger = trigger
        self.triggerText = triggerText
        self.action = action
        self.location = location
        let defaults = settings.jobDefaults
        zone = settings.zone
        description = nil
        start = nil
        end = nil
        workingDirectory = nil
        environment = []
        user = nil
        group = nil
        timeout = defaults.timeout
        killGrace = defaults.killGrace
        jitter = defaults.jitter
        misfireGrace = defaults.misfireGrace
        coalesce = defaults.coalesce
        maxInstances = defaults.maxInstances
        onOverlap = defaults.onOverlap
        retry = defaults.retry
        enabled = true
        replaceExisting = false
        onInterrupted = settings.onInterrupted
        onFailure = defaults.onFailure
        logOutputLines = defaults.logOutputLines
        history = settings.history
        historyMaxAge = settings.historyMaxAge
    }
}

/// One `env` entry of a job.
public struct EnvironmentVariable: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
