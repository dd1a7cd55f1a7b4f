public import SchedCore
public import SchedTime

/// A fired-once ledger entry: a run that was about to start, written durably *before* its process
/// starts. A later record with the same run id closes it; one still open at the next load was cut
/// short by a crash and becomes an `interrupted` record.
public struct StartedRun: Hashable, Sendable {
    public var runID: RunID
    public var jobID: String
    /// The nominal firing the run serves.
    public var scheduled: Instant
    public var attempt: Int
    /// A `schedctl run-now` run: its `scheduled` is the request time, not a firing of the trigger,
    /// so it does not move the job's last handled firing.
    public var isManual: Bool
    /// When the shell started it (wall clock).
    public var started: Instant

    public init(runID: RunID, jobID: String, scheduled: Instant, attempt: Int, isManual: Bool, started: Instant) {
        self.runID = runID
        self.jobID = jobID
        self.scheduled = scheduled
        self.attempt = attempt
        self.isManual = isManual
        self.started = started
    }

    /// The ledger entry for `request`, started at `instant`.
    public init(_ request: RunRequest, started instant: Instant) {
        self.init(
            runID: request.runID,
            jobID: request.jobID,
            scheduled: request.scheduled,
            attempt: request.attempt,
            isManual: request.isManual,
            started: instant
        )
    }

    /// The `interrupted` record this entry becomes when no result ever closed it.
    public var interruptedRecord: RunRecord {
        RunRecord(
            runID: runID,
            job: jobID,
            scheduled: scheduled,
            attempt: attempt,
            result: .interrupted,
            reason: "schedd stopped while the run was active (crash, kill or power loss)",
            started: started
        )
    }
}
