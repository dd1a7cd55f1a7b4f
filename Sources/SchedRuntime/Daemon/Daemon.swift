// Daemon: the runtime shell around the pure `SchedulerCore`.
//
// Design note
// - One thread, one loop. Everything happens in `EventLoop` callbacks on the thread that called
//   `run()`: the wall-clock alarm, signals (signalfd), child exits (pidfd) and output pipes. So the
//   core, the run table and the history need no locks.
// - Time. The core says when it next needs to look (`nextDeadline`); the daemon arms the loop's one
//   `CLOCK_REALTIME` timerfd (`TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET`) for exactly that and
//   sleeps. No periodic tick: with nothing due the process does not wake (the systemd watchdog,
//   when enabled, is the only timer). A clock step cancels the wait and is reported to the core
//   (`clockStepped`), which recomputes what is due.
// - Actions. Every core call returns `[SchedulerAction]`; all of them go through `perform(_:)`,
//   the single place that starts runs, stops runs and records results, and that re-arms the alarm
//   afterwards. Run outcomes flow back through `finishRun(_:outcome:)`.
// - Seams for other subsystems (see docs/ARCHITECTURE.md, "Daemon"): `DaemonObserver` hooks,
//   `RunHistoryStore`, `startRun(_:)` which branches on the job kind (`startHTTPCheck` lives in
//   `Daemon+HTTP.swift`), `registerRun(_:)` for runs that are not plain processes, and public
//   `reload()`, `runNow`, `pause`, `resume` for the control socket.
// - Lifecycle: `.starting` → `.running` → `.stopping` (SIGTERM/SIGINT). While stopping no run
//   starts; the loop ends once the last run has been reported.

public import SchedCore
public import SchedTime

/// The schedd daemon: owns the event loop, the scheduler core, the process runner and the history.
///
/// Not `Sendable`: create it and call `run()` on one thread; every method must be called on that
/// thread (from loop callbacks).
public final class Daemon {
    /// Where the daemon is in its life.
    public enum Phase: Sendable, Equatable {
        /// Created, `run()` not yet called.
        case starting
        /// Scheduling runs.
        case running
        /// Shutting down after SIGTERM/SIGINT: no new runs; ends when the last run is reported.
        case stopping
    }

    /// A run in flight, of any kind: what to report and how to stop it.
    public struct RunHandle {
        public var request: RunRequest
        /// Wall-clock start, the record's `started`.
        public var started: Instant
        /// The process (group) id, for runs that are one process.
        public var processID: ProcessID?
        /// Stops the run (TERM to its group, KILL after `kill_grace`); it is still reported through
        /// `finishRun`.
        public var stop: (_ reason: String) -> Void

        public init(
            request: RunRequest,
            started: Instant,
            processID: ProcessID? = nil,
            stop: @escaping (_ reason: String) -> Void
        ) {
            self.request = request
            self.started = started
            self.processID = processID
            self.stop = stop
        }
    }

    /// The main config file, re-read on reload.
    public let configPath: String
    public let loop: EventLoop
    public let runner: ProcessRunner
    public internal(set) var logger: Logger
    /// Nil when not running under systemd (`$NOTIFY_SOCKET` unset).
    public let notifier: SystemdNotifier?
    /// The config in force (the last one that loaded without errors).
    public internal(set) var config: ScheduleConfig
    public internal(set) var core: SchedulerCore
    public let history: any RunHistoryStore
    public internal(set) var phase: Phase = .starting
    /// When `run()` began, for `uptime_s`.
    public internal(set) var startedAt: Instant
    /// Runs in flight by run id.
    public internal(set) var activeRuns: [RunID: RunHandle] = [:]

    let environment: [String: String]
    let loader: ConfigLoader
    /// The account the daemon runs as: the job user when a job sets none.
    let daemonAccount: UserAccount?
    let isRoot: Bool
    var observers: [any DaemonObserver] = []
    var armedDeadline: Instant?
    var lastStatus: String?
    var shutdownTimer: EventLoop.TimerID?
    var isShutdownForced = false

    /// A daemon for an already loaded `config` (see `Daemon.loadConfig`).
    ///
    /// - Throws: `Errno` when the event loop's descriptors cannot be created.
    public init(
        configPath: String,
        config: ScheduleConfig,
        environment: [String: String] = ProcessEnvironment.all(),
        history: any RunHistoryStore = InMemoryRunHistory()
    ) throws(Errno) {
        self.configPath = configPath
        self.config = config
        self.environment = environment
        self.history = history
        loader = Daemon.makeLoader()
        logger = Daemon.makeLogger(config.settings, environment: environment)
        notifier = SystemdNotifier.fromEnvironment(environment)
        isRoot = CurrentUser.isRoot
        daemonAccount = CurrentUser.account()
        loop = try EventLoop()
        runner = ProcessRunner(loop: loop)
        let now = WallClock.now()
        startedAt = now
        core = SchedulerCore(
            config: config,
            now: now,
            random: JitterRandom(seed: UInt64(bitPattern: now.nanosecondsSinceEpoch))
        )
    }

    /// Registers `observer` for the daemon's events (kept strongly, for the daemon's lifetime).
    public func addObserver(_ observer: any DaemonObserver) {
        observers.append(observer)
    }

    // MARK: - Running

    /// Runs the daemon until shutdown completes: signals, alarm, `@reboot` jobs, READY=1, then the loop.
    ///
    /// - Throws: `Errno` when the signalfd cannot be set up or the loop itself fails.
    public func run() throws(Errno) {
        // 1. Event sources first, so a signal or a due job from here on is not lost.
        _ = try loop.watchSignals(Signal.daemonSignals) { [unowned self] signal in handle(signal) }
        loop.setAlarmHandler { [unowned self] event in alarmRang(event) }
        startedAt = WallClock.now()
        phase = .running
        logConfigWarnings(config)
        logger.notice(
            "daemon_started",
            [
                "version": .string(BuildInfo.version), "pid": .string(ProcessEnvironment.processID.description),
                "config": .string(configPath), "jobs": .integer(Int64(core.jobCount)),
            ]
        )
        // 2. `@reboot` jobs fire once, now; this also arms the alarm for the first deadline.
        perform(core.start(now: WallClock.now()))
        // 3. Only now tell systemd we are ready.
        notifyReady()
        startWatchdog()
        try loop.run()
        logger.notice("daemon_stopped", ["pid": .string(ProcessEnvironment.processID.description)])
    }

    // MARK: - Wall-clock alarm

    /// The alarm fired at the core's deadline, or the clock was set.
    func alarmRang(_ event: EventLoop.AlarmEvent) {
        armedDeadline = nil
        guard phase == .running else { return }
        let now = WallClock.now()
        switch event {
        case .fired:
            perform(core.advance(to: now))
        case .clockChanged:
            logger.notice("clock_stepped", ["now": .string(RFC3339.format(now))])
            perform(core.clockStepped(to: now))
        }
    }

    /// Points the alarm at the core's next deadline, or disarms it; skips the syscall when unchanged.
    func rearmAlarm() {
        let deadline = phase == .running ? core.nextDeadline : nil
        guard deadline != armedDeadline else { return }
        do {
            if let deadline {
                try loop.armAlarm(at: deadline)
            } else {
                try loop.disarmAlarm()
            }
            armedDeadline = deadline
        } catch {
            // timerfd_settime fails only on a bad descriptor or value; say so and keep running.
            logger.error("alarm_failed", ["error": .string(error.description)])
        }
    }
}
