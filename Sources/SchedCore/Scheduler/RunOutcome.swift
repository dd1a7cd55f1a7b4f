public import SchedTime

/// What the shell reports when a run it started has ended.
public struct RunOutcome: Hashable, Sendable {
    /// How the process (or the attempt to start it) ended.
    public enum Termination: Hashable, Sendable {
        /// The process exited with `code`.
        case exited(code: Int32)
        /// The process was ended by signal `signal` (not a timeout the shell enforced).
        case signaled(signal: Int32)
        /// The shell stopped it after the job's `timeout`; `signal` is what finally ended it.
        case timedOut(signal: Int32?)
        /// The process never started (spawn failed, unknown user, …); `reason` says why.
        case failedToStart(reason: String)
    }

    public var termination: Termination
    /// When the process started; nil when it never did.
    public var started: Instant?
    public var finished: Instant
    public var outputTail: String?
    public var httpStatus: Int?
    public var latency: Duration?
    /// Why a run that exited non-zero failed, when the shell knows better than the exit code (an HTTP
    /// check: "unexpected status 503"). Becomes the run record's `reason`; ignored for a successful exit.
    public var reason: String?

    public init(
        termination: Termination,
        started: Instant?,
        finished: Instant,
        outputTail: String? = nil,
        httpStatus: Int? = nil,
        latency: Duration? = nil,
        reason: String? = nil
    ) {
        self.termination = termination
        self.started = started
        self.finished = finished
        self.outputTail = outputTail
        self.httpStatus = httpStatus
        self.latency = latency
        self.reason = reason
    }

    /// A successful exit (status 0) from `started` to `finished`.
    public static func success(started: Instant, finished: Instant) -> RunOutcome {
        RunOutcome(termination: .exited(code: 0), started: started, finished: finished)
    }

    /// A failed exit with `code` from `started` to `finished`.
    public static func failure(code: Int32, started: Instant, finished: Instant) -> RunOutcome {
        RunOutcome(termination: .exited(code: code), started: started, finished: finished)
    }
}
