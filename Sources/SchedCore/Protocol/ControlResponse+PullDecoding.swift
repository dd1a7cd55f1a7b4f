import SchedTime

// The fast path of `ControlProtocol.decodeResponse` for `jobs` and `runs` payloads (see
// `JSONCursor+Pull.swift`). It accepts exactly what the tree path accepts for them; a response of
// any other kind, or with `result` before `kind`, is handed to the tree path.

extension ControlResponse {
    /// Decodes `bytes` when it is a successful `jobs` or `runs` response whose `kind` comes before
    /// `result` (as `encodedLine()` writes it); nil means "use the tree path".
    static func pullDecoded(_ bytes: [UInt8], maximumDepth: Int) throws(ControlProtocolError) -> ControlResponse? {
        var cursor = JSONCursor(bytes: bytes, maximumDepth: maximumDepth)
        var version: Int64?
        var ok: Bool?
        var kind: String?
        var response: ControlResponse?
        var handOver = false
        try cursor.readObject("response") { (cursor, key) throws(ControlProtocolError) in
            switch key {
            case "version":
                version = try cursor.readOptionalInteger("response.version")
            case "ok":
                guard case .bool(let flag) = try cursor.readValue() else {
                    throw JSONObjectReader.mismatch("response.ok", "a boolean")
                }
                ok = flag
            case "kind":
                kind = try cursor.readString("response.kind")
            case "result" where ok == true && kind == "jobs":
                var jobs: [JobInfo] = []
                try cursor.readArray("response.result") { (cursor, index) throws(ControlProtocolError) in
                    jobs.append(try JobInfo(pulling: &cursor, path: { "response.result[\(index)]" }))
                }
                response = .jobs(jobs)
            case "result" where ok == true && kind == "runs":
                var runs: [RunInfo] = []
                try cursor.readArray("response.result") { (cursor, index) throws(ControlProtocolError) in
                    runs.append(try RunInfo(pulling: &cursor, path: { "response.result[\(index)]" }))
                }
                response = .runs(runs)
            default:
                handOver = true
                _ = try cursor.readValue()
            }
        }
        cursor.skipWhitespace()
        guard cursor.index == bytes.count else { throw cursor.malformed("unexpected characters after the value") }
        guard !handOver, let response else { return nil }
        if let version, version != ControlProtocol.version {
            throw ControlProtocolError(
                kind: .unsupportedVersion,
                message: "the daemon speaks protocol version \(version), this schedctl \(ControlProtocol.version)"
            )
        }
        return response
    }
}

extension RunInfo {
    init(pulling cursor: inout JSONCursor, path: () -> String) throws(ControlProtocolError) {
        var runID: Int64?
        var job: String?
        var scheduled: Instant?
        var result: RunResult?
        var run = RunInfo(runID: RunID(rawValue: 0), job: "", scheduled: Instant(nanosecondsSinceEpoch: 0), result: .ok)
        try cursor.readObject(path()) { (cursor, key) throws(ControlProtocolError) in
            // Built only when an error needs it: formatting it per field doubled the decoding time.
            func field() -> String { "\(path()).\(key)" }
            switch key {
            case "run_id": runID = try cursor.readOptionalInteger(field())
            case "job": job = try cursor.readOptionalString(field())
            case "scheduled": scheduled = try cursor.readOptionalInstant(field())
            case "started": run.started = try cursor.readOptionalInstant(field())
            case "finished": run.finished = try cursor.readOptionalInstant(field())
            case "duration_ms": run.durationMilliseconds = try cursor.readOptionalInteger(field())
            case "attempt": run.attempt = try cursor.readOptionalInteger(field(), as: Int.self) ?? 1
            case "result":
                guard let name = try cursor.readOptionalString(field()), let value = RunResult(rawValue: name) else {
                    throw JSONObjectReader.mismatch(field(), "one of \(RunResult.allCases.map(\.rawValue))")
                }
                result = value
            case "reason": run.reason = try cursor.readOptionalString(field())
            case "exit_code": run.exitCode = try cursor.readOptionalInteger(field(), as: Int32.self)
            case "signal": run.signal = try cursor.readOptionalInteger(field(), as: Int32.self)
            case "http_status": run.httpStatus = try cursor.readOptionalInteger(field(), as: Int.self)
            case "latency_ms": run.latencyMilliseconds = try cursor.readOptionalInteger(field())
            case "output_tail": run.outputTail = try cursor.readOptionalString(field())
            default: _ = try cursor.readValue()
            }
        }
        guard let runID, runID >= 0 else {
            throw JSONObjectReader.mismatch("\(path()).run_id", "a non-negative integer")
        }
        guard let job else { throw JSONObjectReader.mismatch("\(path()).job", "a string") }
        guard let scheduled else { throw JSONObjectReader.mismatch("\(path()).scheduled", "an RFC 3339 time") }
        guard let result else { throw JSONObjectReader.mismatch("\(path()).result", "a string") }
        run.runID = RunID(rawValue: UInt64(runID))
        run.job = job
        run.scheduled = scheduled
        run.result = result
        self = run
    }
}

extension JobInfo {
    init(pulling cursor: inout JSONCursor, path: () -> String) throws(ControlProtocolError) {
        var id: String?
        var trigger: String?
        var state: State?
        var job = JobInfo(id: "", trigger: "", state: .scheduled)
        try cursor.readObject(path()) { (cursor, key) throws(ControlProtocolError) in
            // Built only when an error needs it: formatting it per field doubled the decoding time.
            func field() -> String { "\(path()).\(key)" }
            switch key {
            case "id": id = try cursor.readOptionalString(field())
            case "trigger": trigger = try cursor.readOptionalString(field())
            case "state":
                guard let name = try cursor.readOptionalString(field()), let value = State(rawValue: name) else {
                    throw JSONObjectReader.mismatch(field(), "one of \(State.allCases.map(\.rawValue))")
                }
                state = value
            case "next": job.next = try cursor.readOptionalInstant(field())
            case "last":
                if try !cursor.takeNull() { job.last = try RunInfo(pulling: &cursor, path: field) }
            case "consecutive_failures":
                job.consecutiveFailures = try cursor.readOptionalInteger(field(), as: Int.self) ?? 0
            case "running_runs":
                if try !cursor.takeNull() {
                    var runs: [RunID] = []
                    try cursor.readArray(field()) { (cursor, index) throws(ControlProtocolError) in
                        guard let number = try cursor.readOptionalInteger("\(field())[\(index)]"), number >= 0 else {
                            throw JSONObjectReader.mismatch("\(field())[\(index)]", "a run id")
                        }
                        runs.append(RunID(rawValue: UInt64(number)))
                    }
                    job.runningRuns = runs
                }
            case "last_http_status": job.lastHTTPStatus = try cursor.readOptionalInteger(field(), as: Int.self)
            default: _ = try cursor.readValue()
            }
        }
        guard let id else { throw JSONObjectReader.mismatch("\(path()).id", "a string") }
        guard let trigger else { throw JSONObjectReader.mismatch("\(path()).trigger", "a string") }
        guard let state else { throw JSONObjectReader.mismatch("\(path()).state", "a string") }
        job.id = id
        job.trigger = trigger
        job.state = state
        self = job
    }
}
