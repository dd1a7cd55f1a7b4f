public import SchedTime

/// What the scheduler core keeps about one job across daemon restarts: the facts a state store
/// writes to disk and hands back to `SchedulerCore.restore(_:interrupted:now:)` at the next start.
///
/// A plain value so the store only serializes it and the core alone decides what it means.
/// Run history is not part of it: the store keeps history beside it.
public struct PersistedJobState: Hashable, Sendable {
    /// The job id.
    public var jobID: String
    /// The last nominal firing handled (started, skipped or missed). No firing at or before it is
    /// ever started again; catch-up after downtime starts counting after it.
    public var lastScheduled: Instant?
    /// Paused with `schedctl pause`.
    public var paused: Bool
    /// When the core first added the job: the phase of an `every` trigger without `start`, and the
    /// instant from which catch-up counts when the job has never fired.
    public var firstAdded: Instant
    /// Failed, timed-out or killed runs since the last success.
    public var consecutiveFailures: Int
    /// The last finished, skipped, missed or interrupted run.
    public var last: RunRecord?

    public init(
        jobID: String,
        lastScheduled: Instant? = nil,
        paused: Bool = false,
        firstAdded: Instant,
        consecutiveFailures: Int = 0,
        last: RunRecord? = nil
    ) {
        self.jobID = jobID
        self.lastScheduled = lastScheduled
        self.paused = paused
        self.firstAdded = firstAdded
        self.consecutiveFailures = consecutiveFailures
        self.last = last
    }
}
