/// A request to the scheduler core that cannot be honoured; the message is for the user of
/// `schedctl`.
public struct SchedulerError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// No job has the id.
        case unknownJob
        /// Adding a job whose id exists, without replace-existing.
        case jobExists
        /// Run-now without force while `max_instances` runs are active.
        case maxInstancesReached
    }

    public var code: Code
    public var jobID: String
    /// For `unknownJob`: the closest existing id, if one is close.
    public var suggestion: String?
    /// For `maxInstancesReached`: the job's `max_instances`.
    public var maxInstances: Int?

    public init(code: Code, jobID: String, suggestion: String? = nil, maxInstances: Int? = nil) {
        self.code = code
        self.jobID = jobID
        self.suggestion = suggestion
        self.maxInstances = maxInstances
    }

    public var description: String {
        switch code {
        case .unknownJob:
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            return "no job '\(jobID)'\(hint)"
        case .jobExists:
            return "a job '\(jobID)' already exists; use replace-existing to replace it"
        case .maxInstancesReached:
            let limit = maxInstances.map { " (max_instances = \($0))" } ?? ""
            return "job '\(jobID)' is already running\(limit); use --force to start another run"
        }
    }
}
