public import SchedCore

/// The store serves the daemon's `history` (`schedctl history`), replacing the in-memory ring.
///
/// Limits come from the config (`StateStore.apply(config:now:)`), not from `append`'s `limit`, and
/// a removed job's history is kept for `removedJobRetention` rather than forgotten at once (an
/// accidental removal and re-add keeps it): the daemon's reload hook applies the new config.
extension StateStore: RunHistoryStore {
    public func append(_ record: RunRecord, limit: Int) {
        recordFinished(record)
    }

    public func records(job: String, limit: Int?) -> [RunRecord] {
        history(job: job, limit: limit)
    }

    public func removeJobs(_ jobs: [String]) {}
}
