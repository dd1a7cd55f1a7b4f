import SchedTime

/// A run the core has decided on but not started yet: waiting for a free slot under
/// `max_concurrent`, for a free instance (`queue`, `replace`, a retry), or for its retry time.
struct Firing: Sendable {
    enum Kind: Sendable {
        /// A regular firing of the trigger; subject to `on_overlap` and `misfire_grace`.
        case scheduled
        /// A retry after a failed attempt; waits for a free instance, never skipped.
        case retry
        /// Run-now; `forced` ignores `max_instances`.
        case manual(forced: Bool)
    }

    var runID: RunID
    var slot: Int32
    var scheduled: Instant
    var attempt: Int
    var kind: Kind
    /// The firing is missed if it has not started by this instant; nil for retries and run-now.
    var startDeadline: Instant?

    var isScheduled: Bool {
        if case .scheduled = kind { return true }
        return false
    }
}
