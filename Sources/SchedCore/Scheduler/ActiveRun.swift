import SchedTime

/// A started run.
struct ActiveRun: Sendable {
    var runID: RunID
    var slot: Int32
    var scheduled: Instant
    var attempt: Int
    var definition: JobDefinition
    var started: Instant
    /// Set once the core asked the shell to stop it; the result then reads `killed` with this reason.
    var stopReason: String?

    /// Derived rather than stored: one reference (the definition) to retain per run, not two.
    var jobID: String { definition.id }
}
