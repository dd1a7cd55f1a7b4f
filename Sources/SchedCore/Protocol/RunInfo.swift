public import SchedTime

/// A run object on the wire (`history --json`, a job's `last`, `run-now --wait`): ARCHITECTURE.md
/// "Run objects". Facts that do not apply are nil (null on the wire).
public struct RunInfo: Hashable, Sendable {
    public var runID: RunID
    public var job: String
    /// The nominal fire time (for `run-now`, when it was asked for).
    public var scheduled: Instant
    public var started: Instant?
    public var finished: Instant?
    public var durationMilliseconds: Int64?
    public var attempt: Int
    public var result: RunResult
    /// Why a firing was skipped or missed, or how a run failed to start.
    public var reason: String?
    public var exitCode: Int32?
    public var signal: Int32?
    public var httpStatus: Int?
    public var latencyMilliseconds: Int64?
    public var outputTail: String?

    public init(
        runID: RunID,
        job: String,
        scheduled: Instant,
        started: Instant? = nil,
        finished: Instant? = nil,
        durationMilliseconds: Int64? = nil,
        attempt: Int = 1,
        result: RunResult,
        reason: String? = nil,
        exitCode: Int32? = nil,
        signal: Int32? = nil,
        httpStatus: Int? = nil,
        latencyMilliseconds: Int64? = nil,
        outputTail: String? = nil
    ) {
        self.runID = runID
        self.job = job
        self.scheduled = scheduled
        self.started = started
        self.finished = finished
        self.durationMilliseconds = durationMilliseconds
        self.attempt = attempt
        self.result = result
        self.reason = reason
        self.exitCode = exitCode
        self.signal = signal
        self.httpStatus = httpStatus
        self.latencyMilliseconds = latencyMilliseconds
        self.outputTail = outputTail
    }

    /// The wire form of a scheduler record.
    public init(_ record: RunRecord) {
        self.init(
            runID: record.runID,
            job: record.job,
            scheduled: record.scheduled,
            started: record.started,
            finished: record.finished,
            durationMilliseconds: record.durationMilliseconds,
            attempt: record.attempt,
            result: record.result,
            reason: record.reason,
            exitCode: record.exitCode,
            signal: record.signal,
            httpStatus: record.httpStatus,
            latencyMilliseconds: record.latencyMilliseconds,
            outputTail: record.outputTail
        )
    }

    // MARK: - JSON

    public var json: JSONValue {
        .object([
            ("run_id", .integer(Int64(truncatingIfNeeded: runID.rawValue))),
            ("job", .string(job)),
            ("scheduled", JSONValue(scheduled)),
            ("started", JSONValue(started)),
            ("finished", JSONValue(finished)),
            ("duration_ms", JSONValue(durationMilliseconds)),
            ("attempt", .integer(Int64(attempt))),
            ("result", .string(result.rawValue)),
            ("reason", JSONValue(reason)),
            ("exit_code", JSONValue(exitCode)),
            ("signal", JSONValue(signal)),
            ("http_status", JSONValue(httpStatus)),
            ("latency_ms", JSONValue(latencyMilliseconds)),
            ("output_tail", JSONValue(outputTail)),
        ])
    }

    public init(json: JSONValue, path: String = "run") throws(ControlProtocolError) {
        let reader = try JSONObjectReader(json, path: path)
        let runNumber = try reader.integer("run_id")
        guard runNumber >= 0 else { throw JSONObjectReader.mismatch("\(path).run_id", "a non-negative integer") }
        let resultName = try reader.string("result")
        guard let result = RunResult(rawValue: resultName) else {
            throw JSONObjectReader.mismatch("\(path).result", "one of \(RunResult.allCases.map(\.rawValue))")
        }
        self.init(
            runID: RunID(rawValue: UInt64(runNumber)),
            job: try reader.string("job"),
            scheduled: try reader.instant("scheduled"),
            started: try reader.optionalInstant("started"),
            finished: try reader.optionalInstant("finished"),
            durationMilliseconds: try reader.optionalInteger("duration_ms"),
            attempt: try reader.optionalInteger("attempt", as: Int.self) ?? 1,
            result: result,
            reason: try reader.optionalString("reason"),
            exitCode: try reader.optionalInteger("exit_code", as: Int32.self),
            signal: try reader.optionalInteger("signal", as: Int32.self),
            httpStatus: try reader.optionalInteger("http_status", as: Int.self),
            latencyMilliseconds: try reader.optionalInteger("latency_ms"),
            outputTail: try reader.optionalString("output_tail")
        )
    }
}
