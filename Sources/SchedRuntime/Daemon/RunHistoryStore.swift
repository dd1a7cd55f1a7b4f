public import SchedCore

/// Where the daemon keeps finished, skipped and missed runs per job, for `schedctl history`.
///
/// The daemon talks to history only through this protocol so that a persistent, crash-safe store
/// under `state_dir` can replace `InMemoryRunHistory` without touching the daemon. Called on the
/// event-loop thread only.
public protocol RunHistoryStore: AnyObject {
    /// Appends `record` to its job's history, keeping at most `limit` records for that job (oldest
    /// dropped first).
    func append(_ record: RunRecord, limit: Int)
    /// The newest `limit` records of `job` (all when nil), oldest first.
    func records(job: String, limit: Int?) -> [RunRecord]
    /// Forgets the history of jobs that left the config.
    func removeJobs(_ jobs: [String])
}

/// Per-job history in memory: a ring of the newest `history` records per job. Lost on restart.
public final class InMemoryRunHistory: RunHistoryStore {
    /// One job's ring: `storage` grows to `limit`, then `next` overwrites the oldest entry.
    struct Ring {
        var storage: [RunRecord] = []
        var next = 0

        mutating func append(_ record: RunRecord, limit: Int) {
            let limit = max(1, limit)
            if storage.count > limit {
                // The limit shrank on reload: keep the newest `limit` in order.
                storage = Array(ordered.suffix(limit))
                next = 0
            }
            if storage.count < limit {
                storage.insert(record, at: next == 0 ? storage.count : next)
                if next != 0 { next += 1 }
            } else {
                storage[next] = record
                next = (next + 1) % limit
            }
        }

        /// Oldest first.
        var ordered: [RunRecord] {
            Array(storage[next...] + storage[..<next])
        }
    }

    private var rings: [String: Ring] = [:]

    public init() {}

    public func append(_ record: RunRecord, limit: Int) {
        rings[record.job, default: Ring()].append(record, limit: limit)
    }

    public func records(job: String, limit: Int?) -> [RunRecord] {
        let all = rings[job]?.ordered ?? []
        guard let limit else { return all }
        return Array(all.suffix(max(0, limit)))
    }

    public func removeJobs(_ jobs: [String]) {
        for job in jobs { rings[job] = nil }
    }
}
