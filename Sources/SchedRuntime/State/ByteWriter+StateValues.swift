import SchedCore
import SchedTime

// The binary shapes of the state files' values. Presence of optional fields is a bit mask, so an
// ordinary finished run takes about 30 bytes. Codes are fixed here, never derived from declaration
// order, so reordering an enum cannot change the meaning of a stored file.

/// Stable one-byte codes of `RunResult`.
enum RunResultCode {
    static let codes: [(RunResult, UInt8)] = [
        (.ok, 0), (.failed, 1), (.timeout, 2), (.killed, 3), (.missed, 4), (.skipped, 5), (.interrupted, 6),
    ]

    static func code(of result: RunResult) -> UInt8 {
        switch result {
        case .ok: 0
        case .failed: 1
        case .timeout: 2
        case .killed: 3
        case .missed: 4
        case .skipped: 5
        case .interrupted: 6
        }
    }

    static func result(of code: UInt8) -> RunResult? {
        code < codes.count ? codes[Int(code)].0 : nil
    }
}

/// Entry kinds in a journal frame.
enum StateEntryKind {
    static let started: UInt8 = 1
    static let record: UInt8 = 2
    static let state: UInt8 = 3
    static let removed: UInt8 = 4
    static let present: UInt8 = 5
}

extension ByteWriter {
    /// A run record without its job id (the caller writes it, or groups records under their job).
    mutating func write(_ record: RunRecord) {
        writeVarint(record.runID.rawValue)
        write(record.scheduled)
        writeSignedVarint(Int64(record.attempt))
        write(RunResultCode.code(of: record.result))
        var presence: UInt8 = 0
        if record.started != nil { presence |= 1 << 0 }
        if record.finished != nil { presence |= 1 << 1 }
        if record.reason != nil { presence |= 1 << 2 }
        if record.exitCode != nil { presence |= 1 << 3 }
        if record.signal != nil { presence |= 1 << 4 }
        if record.httpStatus != nil { presence |= 1 << 5 }
        if record.latency != nil { presence |= 1 << 6 }
        if record.outputTail != nil { presence |= 1 << 7 }
        write(presence)
        writeSignedVarint(Int64(record.firings))
        if let started = record.started { write(started) }
        if let finished = record.finished {
            // Relative to `started` when there is one: a varint of the duration, not 8 bytes.
            let base = record.started?.nanosecondsSinceEpoch ?? 0
            writeSignedVarint(finished.nanosecondsSinceEpoch &- base)
        }
        if let reason = record.reason { write(reason) }
        if let exitCode = record.exitCode { writeSignedVarint(Int64(exitCode)) }
        if let signal = record.signal { writeSignedVarint(Int64(signal)) }
        if let httpStatus = record.httpStatus { writeSignedVarint(Int64(httpStatus)) }
        if let latency = record.latency { writeSignedVarint(latency.totalNanoseconds) }
        if let outputTail = record.outputTail { write(outputTail) }
    }

    /// A job's persisted facts, id included.
    mutating func write(_ state: PersistedJobState) {
        write(state.jobID)
        var flags: UInt8 = 0
        if state.lastScheduled != nil { flags |= 1 << 0 }
        if state.paused { flags |= 1 << 1 }
        if state.last != nil { flags |= 1 << 2 }
        write(flags)
        write(state.firstAdded)
        if let lastScheduled = state.lastScheduled { write(lastScheduled) }
        writeSignedVarint(Int64(state.consecutiveFailures))
        if let last = state.last {
            write(last.job)
            write(last)
        }
    }

    mutating func write(_ run: StartedRun) {
        writeVarint(run.runID.rawValue)
        write(run.jobID)
        write(run.scheduled)
        writeSignedVarint(Int64(run.attempt))
        write(run.isManual ? 1 as UInt8 : 0)
        write(run.started)
    }

    mutating func write(_ entry: StateEntry) {
        switch entry {
        case .started(let run):
            write(StateEntryKind.started)
            write(run)
        case .record(let record):
            write(StateEntryKind.record)
            write(record.job)
            write(record)
        case .state(let state):
            write(StateEntryKind.state)
            write(state)
        case .removed(let jobID, let at):
            write(StateEntryKind.removed)
            write(jobID)
            write(at)
        case .present(let jobID):
            write(StateEntryKind.present)
            write(jobID)
        }
    }
}
