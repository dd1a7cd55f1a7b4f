public import SchedTime

/// How a run (or a firing that never ran) ended, as `history` and `schedctl list` show it.
public enum RunResult: String, Hashable, Sendable, CaseIterable {
    /// Exited with status 0 (for an HTTP check: the expected status arrived).
    case ok
    /// Exited non-zero, or could not be started.
    case failed
    /// Stopped by the daemon because it exceeded its `timeout`.
    case timeout
    /// Ended by a signal: the daemon stopped it (`on_overlap = "replace"`) or something else did.
    case killed
    /// Never started: it could not start by scheduled + `misfire_grace`.
    case missed
    /// Never started, by policy: `on_overlap = "skip"`, a full queue, coalescing, a pause.
    case skipped
    /// A crash or shutdown of the daemon cut it short (recorded at the next start).
    case interrupted
}

/// What happened to one firing: the run object of ARCHITECTURE.md ("Run objects"). Facts that do
/// not apply are nil (a skipped firing has no `started`, a signalled run no `exitCode`).
public struct RunRecord: Hashable, Sendable {
    public var runID: RunID
    /// The job id.
    public var job: String
    /// The nominal fire time (before jitter); for a summary record, the first firing it covers.
    public var scheduled: Instant
    public var started: Instant?
    public var finished: Instant?
    /// Attempt number, 1 for the first try, 2 for the first retry, …
    public var attempt: Int
    public var result: RunResult
    /// Why a firing was skipped or missed, or how a run failed to start; nil for plain results.
    public var reason: String?
    public var exitCode: Int32?
    /// The signal number that ended the run.
    public var signal: Int32?
    public var httpStatus: Int?
    public var latency: Duration?
    /// The last lines the job printed (stdout and stderr), as the shell captured them.
    public var outputTail: String?
    /// How many firings this record stands for: 1, or more for a summary of missed or coalesced
    /// firings after a clock jump (see `SchedulerCore`'s design note, "Overdue firings").
    public var firings: Int

    public init(
        runID: RunID,
        job: String,
        scheduled: Instant,
        attempt: Int,
        result: RunResult,
        reason: String? = nil,
        started: Instant? = nil,
        finished: Instant? = nil,
        firings: Int = 1
    ) {
        self.runID = runID
        self.job = job
        self.scheduled = scheduled
        self.attempt = attempt
        self.result = result
        self.reason = reason
        self.started = started
        self.finished = finished
        self.firings = firings
    }

    /// `finished - started` in whole milliseconds, the run object's `duration_ms`.
    public var durationMilliseconds: Int64? {
        guard let started, let finished else { return nil }
        return (finished - started).totalNanoseconds / 1_000_000
    }

    /// `latency` in whole milliseconds, the run object's `latency_ms`.
    public var latencyMilliseconds: Int64? {
        latency.map { $0.totalNanoseconds / 1_000_000 }
    }
}
