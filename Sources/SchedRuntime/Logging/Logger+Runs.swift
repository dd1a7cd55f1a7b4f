public import SchedCore
public import SchedTime

// The run events every log line about a job uses, so the field names stay stable for log queries:
// `job`, `run`, `event`, `scheduled`, `attempt`, `lateness_ms`, `duration_ms`, `result`, `exit`, `signal`,
// `reason` (ARCHITECTURE.md, issue 9). Absent facts are left out in logfmt and null in JSON.
//
// Levels (journald priorities under `$JOURNAL_STREAM`): a run that ended `ok`, a skipped firing and job
// output are info (<6>); a failed, timed-out, killed or interrupted run and a missed firing are warnings
// (<4>); a run that could not even start and a failing failure hook are errors (<3>).

extension Logger {
    /// `event=run_started`: a run's process started at `now`.
    public func runStarted(_ request: RunRequest, pid: ProcessID? = nil, at now: Instant) {
        var fields: [(key: String, value: LogValue)] = [
            ("job", .string(request.jobID)),
            ("run", .string(request.runID.description)),
            ("scheduled", .string(RFC3339.format(request.scheduled))),
            ("attempt", .integer(Int64(request.attempt))),
            ("lateness_ms", .integer(max(0, (now - request.scheduled).totalNanoseconds / 1_000_000))),
        ]
        if request.isManual { fields.append(("manual", .bool(true))) }
        if let pid { fields.append(("pid", .integer(Int64(pid.rawValue)))) }
        log(.info, "run_started", fields: fields)
    }

    /// `event=run_finished`, `run_skipped` or `run_missed`: what the core recorded.
    public func recorded(_ record: RunRecord) {
        let event: String
        let level: LogLevel
        switch record.result {
        case .ok:
            (event, level) = ("run_finished", .info)
        case .skipped:
            (event, level) = ("run_skipped", .info)
        case .missed:
            (event, level) = ("run_missed", .warning)
        case .failed where record.started == nil:
            // It never ran: spawn failure, unknown user, missing program.
            (event, level) = ("run_finished", .error)
        case .failed, .timeout, .killed, .interrupted:
            (event, level) = ("run_finished", .warning)
        }
        var fields: [(key: String, value: LogValue)] = [
            ("job", .string(record.job)),
            ("run", .string(record.runID.description)),
            ("scheduled", .string(RFC3339.format(record.scheduled))),
            ("attempt", .integer(Int64(record.attempt))),
            ("result", .string(record.result.rawValue)),
            ("duration_ms", record.durationMilliseconds.map(LogValue.integer) ?? .null),
            ("exit", record.exitCode.map { .integer(Int64($0)) } ?? .null),
            ("signal", record.signal.map { .integer(Int64($0)) } ?? .null),
            ("reason", record.reason.map(LogValue.string) ?? .null),
        ]
        if let status = record.httpStatus { fields.append(("http_status", .integer(Int64(status)))) }
        if let latency = record.latencyMilliseconds { fields.append(("latency_ms", .integer(latency))) }
        if record.firings > 1 { fields.append(("firings", .integer(Int64(record.firings)))) }
        log(level, event, fields: fields)
    }

    /// `event=output`: one line a job printed, tagged with its job and run.
    public func jobOutput(job: String, run: RunID, line: OutputLine) {
        var fields: [(key: String, value: LogValue)] = [
            ("job", .string(job)),
            ("run", .string(run.description)),
            ("stream", .string(line.stream.rawValue)),
            ("line", .string(line.text)),
        ]
        if line.isTruncated { fields.append(("truncated", .bool(true))) }
        log(.info, "output", fields: fields)
    }

    /// `event=output_limit_reached`: the run printed more than `limit` lines; the rest are not logged.
    public func jobOutputLimitReached(job: String, run: RunID, limit: Int) {
        log(
            .notice,
            "output_limit_reached",
            fields: [("job", .string(job)), ("run", .string(run.description)), ("limit", .integer(Int64(limit)))]
        )
    }

    /// `event=output_suppressed`: at the end of a run, how many of its lines were not logged.
    public func jobOutputSuppressed(job: String, run: RunID, lines: Int) {
        log(
            .notice,
            "output_suppressed",
            fields: [("job", .string(job)), ("run", .string(run.description)), ("lines", .integer(Int64(lines)))]
        )
    }
}

extension LogFormat {
    /// The runtime format for the configured `log_format` (`"text"` is logfmt).
    public init(configured: SchedCore.LogFormat) {
        switch configured {
        case .text: self = .logfmt
        case .json: self = .json
        }
    }
}
