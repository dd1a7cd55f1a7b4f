import SchedCore
import SchedTime

/// Everything the store keeps about one job id: the core's persisted facts, the run history and,
/// once the job left the config, when it did.
///
/// History loaded from a snapshot stays in its encoded form (one byte array per job) until
/// something reads or changes it: a restart with 10,000 jobs × 100 runs then decodes nothing but
/// the job states, and compaction writes untouched histories back byte for byte.
struct StoredJob: Sendable {
    var state: PersistedJobState?
    /// Decoded records, oldest first, in the order they were made; valid when `encoded` is nil.
    private var decoded: [RunRecord] = []
    /// The history as a snapshot stored it, not decoded yet.
    private var encoded: EncodedHistory?
    /// Set while the job is absent from the config; pruned `removedJobRetention` later.
    var removedAt: Instant?
    /// `history` and `history_max_age` of the job's config (defaults until a config is applied).
    var historyLimit = 100
    var historyMaxAge: Duration?

    /// A run of records in snapshot encoding (`ByteWriter.write(_: RunRecord)` back to back).
    struct EncodedHistory: Sendable {
        var bytes: [UInt8]
        var count: Int
    }

    init() {}

    init(state: PersistedJobState?, encodedHistory: EncodedHistory, removedAt: Instant?) {
        self.state = state
        self.encoded = encodedHistory.count > 0 ? encodedHistory : nil
        self.removedAt = removedAt
    }

    /// Number of records, without decoding.
    var historyCount: Int { encoded?.count ?? decoded.count }

    /// The records, oldest first (decodes them on first use).
    mutating func history(job: String) -> [RunRecord] {
        materialize(job: job)
        return decoded
    }

    /// Appends `record` and, with `trim`, applies the limits. Replay at load does not trim: the
    /// job's limits are not known until the config is applied.
    ///
    /// History is in the order things happened: a run at its end, a skipped or missed firing when
    /// it was decided. An `interrupted` record is only made at the next start, so it goes in at its
    /// start time instead of at the end.
    mutating func append(_ record: RunRecord, trim: Bool = true) {
        materialize(job: record.job)
        if record.result == .interrupted, let started = record.started {
            var index = decoded.endIndex
            while index > decoded.startIndex, Self.eventTime(of: decoded[index - 1]) > started { index -= 1 }
            decoded.insert(record, at: index)
        } else {
            decoded.append(record)
        }
        if trim { trimHistory(job: record.job, now: Self.eventTime(of: record)) }
    }

    /// Drops records beyond `historyLimit` and, with `historyMaxAge`, those older than `now - age`
    /// (a record's age is that of its end, else its start, else its firing).
    mutating func trimHistory(job: String, now: Instant) {
        guard historyCount > historyLimit || historyMaxAge != nil else { return }
        materialize(job: job)
        if decoded.count > historyLimit {
            decoded.removeFirst(decoded.count - max(0, historyLimit))
        }
        if let age = historyMaxAge, let oldest = decoded.first, Self.eventTime(of: oldest) < now - age {
            let cutoff = now - age
            decoded.removeAll { Self.eventTime(of: $0) < cutoff }
        }
    }

    /// When a record's event happened: a run's end, else its start, else the firing's time.
    static func eventTime(of record: RunRecord) -> Instant {
        record.finished ?? record.started ?? record.scheduled
    }

    /// Writes the history in snapshot encoding: `[varint count][records]`.
    func writeHistory(into writer: inout ByteWriter) {
        if let encoded {
            writer.writeVarint(UInt64(encoded.count))
            writer.bytes += encoded.bytes
        } else {
            writer.writeVarint(UInt64(decoded.count))
            for record in decoded { writer.write(record) }
        }
    }

    private mutating func materialize(job: String) {
        guard let encoded else { return }
        self.encoded = nil
        decoded.reserveCapacity(encoded.count + 1)
        encoded.bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            // The bytes passed the snapshot's checksum; a record that still fails to decode ends
            // the history there rather than the daemon.
            while decoded.count < encoded.count, let record = try? reader.readRecord(job: job) {
                decoded.append(record)
            }
        }
    }
}
