public import SchedTime

/// Everything the shell needs to start one run.
public struct RunRequest: Equatable, Sendable {
    public var runID: RunID
    /// The nominal fire time (jitter does not move it); `SCHEDD_SCHEDULED_TIME`. For run-now, the
    /// instant it was asked for.
    public var scheduled: Instant
    /// 1 for the first try, n + 1 for the n-th retry; `SCHEDD_ATTEMPT`.
    public var attempt: Int
    /// True for `schedctl run-now`.
    public var isManual: Bool
    /// The job's definition at the time of the request (action, environment, timeouts, user).
    public let definition: JobDefinition

    /// The job's id (from the definition: one reference per request on the hot path).
    public var jobID: String { definition.id }

    /// The job's configuration as it was when the run was requested.
    public var config: JobConfig { definition.config }

    public static func == (lhs: RunRequest, rhs: RunRequest) -> Bool {
        lhs.runID == rhs.runID && lhs.jobID == rhs.jobID && lhs.scheduled == rhs.scheduled
            && lhs.attempt == rhs.attempt && lhs.isManual == rhs.isManual && lhs.config == rhs.config
    }
}
