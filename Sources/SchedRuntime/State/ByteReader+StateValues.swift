import SchedCore
import SchedTime

extension ByteReader {
    /// A run record written by `ByteWriter.write(_: RunRecord)`, for job `job`.
    mutating func readRecord(job: String) throws(Malformed) -> RunRecord {
        let runID = RunID(rawValue: try readVarint())
        let scheduled = try readInstant()
        let attempt = try readInt()
        guard let result = RunResultCode.result(of: try readByte()) else { throw Malformed() }
        let presence = try readByte()
        var record = RunRecord(runID: runID, job: job, scheduled: scheduled, attempt: attempt, result: result)
        record.firings = try readInt()
        if presence & (1 << 0) != 0 { record.started = try readInstant() }
        if presence & (1 << 1) != 0 {
            let base = record.started?.nanosecondsSinceEpoch ?? 0
            record.finished = Instant(nanosecondsSinceEpoch: base &+ (try readSignedVarint()))
        }
        if presence & (1 << 2) != 0 { record.reason = try readString() }
        if presence & (1 << 3) != 0 { record.exitCode = try readInt32() }
        if presence & (1 << 4) != 0 { record.signal = try readInt32() }
        if presence & (1 << 5) != 0 { record.httpStatus = try readInt() }
        if presence & (1 << 6) != 0 { record.latency = .nanoseconds(try readSignedVarint()) }
        if presence & (1 << 7) != 0 { record.outputTail = try readString() }
        return record
    }

    mutating func readPersistedState() throws(Malformed) -> PersistedJobState {
        let jobID = try readString()
        let flags = try readByte()
        var state = PersistedJobState(jobID: jobID, firstAdded: try readInstant())
        if flags & (1 << 0) != 0 { state.lastScheduled = try readInstant() }
        state.paused = flags & (1 << 1) != 0
        state.consecutiveFailures = try readInt()
        if flags & (1 << 2) != 0 {
            let job = try readString()
            state.last = try readRecord(job: job)
        }
        return state
    }

    mutating func readStartedRun() throws(Malformed) -> StartedRun {
        let runID = RunID(rawValue: try readVarint())
        let jobID = try readString()
        let scheduled = try readInstant()
        let attempt = try readInt()
        let isManual = try readByte() != 0
        let started = try readInstant()
        return StartedRun(
            runID: runID,
            jobID: jobID,
            scheduled: scheduled,
            attempt: attempt,
            isManual: isManual,
            started: started
        )
    }

    mutating func readEntry() throws(Malformed) -> StateEntry {
        switch try readByte() {
        case StateEntryKind.started:
            return .started(try readStartedRun())
        case StateEntryKind.record:
            let job = try readString()
            return .record(try readRecord(job: job))
        case StateEntryKind.state:
            return .state(try readPersistedState())
        case StateEntryKind.removed:
            let jobID = try readString()
            return .removed(jobID: jobID, at: try readInstant())
        case StateEntryKind.present:
            return .present(jobID: try readString())
        default:
            throw Malformed()
        }
    }

    private mutating func readInt32() throws(Malformed) -> Int32 {
        guard let value = Int32(exactly: try readSignedVarint()) else { throw Malformed() }
        return value
    }
}
