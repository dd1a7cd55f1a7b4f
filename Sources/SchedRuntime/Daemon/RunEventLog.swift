public import SchedCore
public import SchedTime

/// The log line for each run event, one line per event with the fields operators grep for:
/// `job`, `run`, `event`, `scheduled`, `lateness_ms`, `duration_ms`, `exit`, `signal`, `reason`.
/// Absent facts are left out rather than written empty.
public enum RunEventLog {
    /// The event name and fields for a run that just started.
    public static func started(_ request: RunRequest, at started: Instant) -> (
        event: String, fields: [(key: String, value: LogValue)]
    ) {
        var fields: [(key: String, value: LogValue)] = [
            ("job", .string(request.jobID)),
            ("run", .string(request.runID.description)),
            ("scheduled", .string(RFC3339.format(request.scheduled))),
            ("lateness_ms", .integer((started - request.scheduled).totalNanoseconds / 1_000_000)),
        ]
        if request.attempt > 1 { fields.append(("attempt", .integer(Int64(request.attempt)))) }
        if request.isManual { fields.append(("manual", .bool(true))) }
        return ("run_started", fields)
    }

    /// The level, event name and fields for a finished, skipped or missed run.
    public static func recorded(_ record: RunRecord) -> (
        level: LogLevel, event: String, fields: [(key: String, value: LogValue)]
    ) {
        var fields: [(key: String, value: LogValue)] = [
            ("job", .string(record.job)),
            ("run", .string(record.runID.description)),
            ("result", .string(record.result.rawValue)),
            ("scheduled", .string(RFC3339.format(record.scheduled))),
        ]
        if let started = record.started {
            fields.append(("lateness_ms", .integer((started - record.scheduled).totalNanoseconds / 1_000_000)))
        }
        if let duration = record.durationMilliseconds { fields.append(("duration_ms", .integer(duration))) }
        if let exit = record.exitCode { fields.append(("exit", .integer(Int64(exit)))) }
        if let signal = record.signal {
            fields.append(("signal", .string(Signal(rawValue: signal).description)))
        }
        if let status = record.httpStatus { fields.append(("http_status", .integer(Int64(status)))) }
        if record.attempt > 1 { fields.append(("attempt", .integer(Int64(record.attempt)))) }
        if record.firings > 1 { fields.append(("firings", .integer(Int64(record.firings)))) }
        if let reason = record.reason { fields.append(("reason", .string(reason))) }
        switch record.result {
        case .ok: return (.info, "run_finished", fields)
        case .failed, .timeout, .killed: return (.warning, "run_finished", fields)
        case .interrupted: return (.warning, "run_interrupted", fields)
        case .missed: return (.warning, "run_missed", fields)
        case .skipped: return (.info, "run_skipped", fields)
        }
    }
}
