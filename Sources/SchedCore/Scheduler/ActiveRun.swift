import SchedTime

/// A started run.
struct ActiveRun: Sendable {
    var runID: RunID
    var slot: Int32
    var jobID: String
    var scheduled: Instant
    var attempt: Int
    var definition: JobDefinition
    var started: Instant
    /// Set once the core asked the shell to stop it; the result then reads `killed` with this reason.
    var stopReason: String?
}
