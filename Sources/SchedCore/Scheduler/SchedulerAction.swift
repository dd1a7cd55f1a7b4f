public import SchedTime

/// What the core asks the shell to do. The shell performs actions in order.
public enum SchedulerAction: Equatable, Sendable {
    /// Start a process for `request` now.
    case start(RunRequest)
    /// Stop the running `run` (TERM to its process group, `kill_grace`, KILL) and report its end
    /// with `SchedulerCore.runFinished` as usual.
    case stop(run: RunID, reason: String)
    /// Persist and publish `record`: a finished run, or a firing that was skipped or missed.
    case record(RunRecord)
}

/// Everything the shell needs to start one run.
public struct RunRequest: Equatable, Sendable {
    public var runID: RunID
    public var jobID: String
    /// The nominal fire time (jitter does not move it); `SCHEDD_SCHEDULED_TIME`. For run-now, the
    /// instant it was asked for.
    public var scheduled: Instant
    /// 1 for the first try, n + 1 for the n-th retry; `SCHEDD_ATTEMPT`.
    public var attempt: Int
    /// True for `schedctl run-now`.
    public var isManual: Bool
    /// The job's definition at the time of the request (action, environment, timeouts, user).
    public let definition: JobDefinition

    /// The job's configuration as it was when the run was requested.
    public var config: JobConfig { definition.config }

    public static func == (lhs: RunRequest, rhs: RunRequest) -> Bool {
        lhs.runID == rhs.runID && lhs.jobID == rhs.jobID && lhs.scheduled == rhs.scheduled
            && lhs.attempt == rhs.attempt && lhs.isManual == rhs.isManual && lhs.config == rhs.config
    }
}

/// An immutable, shared `JobConfig`: a run request carries one reference instead of copying the
/// configuration's many strings and arrays for every firing.
public final class JobDefinition: Sendable {
    public let config: JobConfig

    public init(_ config: JobConfig) {
        self.config = config
    }
}
