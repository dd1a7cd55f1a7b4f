import SchedCore
import SchedTime

/// Everything the store keeps about one job id: the core's persisted facts, the run history and,
/// once the job left the config, when it did.
struct StoredJob {
    var state: PersistedJobState?
    /// Oldest first, in the order the records were made.
    var history: [RunRecord] = []
    /// Set while the job is absent from the config; pruned `removedJobRetention` later.
    var removedAt: Instant?
    /// `history` and `history_max_age` of the job's config (defaults until a config is applied).
    var historyLimit = 100
    var historyMaxAge: Duration?

    mutating func append(_ record: RunRecord) {
        history.append(record)
        trimHistory(now: record.finished ?? record.started ?? record.scheduled)
    }

    /// Drops records beyond `historyLimit` and, with `historyMaxAge`, those older than `now - age`
    /// (a record's age is that of its end, else its start, else its firing).
    mutating func trimHistory(now: Instant) {
        if history.count > historyLimit {
            history.removeFirst(history.count - max(0, historyLimit))
        }
        if let age = historyMaxAge, let oldest = history.first,
            (oldest.finished ?? oldest.started ?? oldest.scheduled) < now - age
        {
            let cutoff = now - age
            history.removeAll { ($0.finished ?? $0.started ?? $0.scheduled) < cutoff }
        }
    }
}
