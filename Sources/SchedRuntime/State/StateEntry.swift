import SchedCore
import SchedTime

/// One change in the state journal. A journal frame holds the entries of one flush, applied in
/// order; replaying every frame after the snapshot rebuilds the state.
enum StateEntry: Sendable {
    /// A run is about to start (the fired-once ledger).
    case started(StartedRun)
    /// A finished, skipped, missed or interrupted run, for the job's history; closes the ledger
    /// entry with the same run id.
    case record(RunRecord)
    /// The core's persisted facts of one job.
    case state(PersistedJobState)
    /// The job left the config at this instant; its state is pruned after the retention period.
    case removed(jobID: String, at: Instant)
    /// The job is back in the config.
    case present(jobID: String)
}
