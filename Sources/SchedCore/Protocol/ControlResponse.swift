/// A response on the control socket: a payload whose kind matches the request, or an error.
public enum ControlResponse: Hashable, Sendable {
    /// For `list`.
    case jobs([JobInfo])
    /// For `status`.
    case status(StatusInfo)
    /// For `history`, newest first.
    case runs([RunInfo])
    /// For `run-now` without `wait`: the run has started.
    case runStarted(job: String, runID: RunID)
    /// For `run-now --wait`: the run has finished.
    case runFinished(RunInfo)
    /// For `pause` and `resume`: the job as it is now.
    case job(JobInfo)
    /// For a successful `reload`.
    case reloaded(ReloadSummary)
    /// For `metrics`: Prometheus text exposition.
    case metrics(String)
    /// Any request that failed.
    case failure(ControlError)

    /// The wire name of the payload (`kind`).
    public var kind: String {
        switch self {
        case .jobs: "jobs"
        case .status: "status"
        case .runs: "runs"
        case .runStarted: "run_started"
        case .runFinished: "run_finished"
        case .job: "job"
        case .reloaded: "reload"
        case .metrics: "metrics"
        case .failure: "error"
        }
    }

    // MARK: - JSON

    public var json: JSONValue {
        let version: (key: String, value: JSONValue) = ("version", .integer(ControlProtocol.version))
        let payload: JSONValue
        switch self {
        case .failure(let error):
            return .object([version, ("ok", .bool(false)), ("error", error.json)])
        case .jobs(let jobs): payload = .array(jobs.map(\.json))
        case .status(let status): payload = status.json
        case .runs(let runs): payload = .array(runs.map(\.json))
        case .runStarted(let job, let runID):
            payload = .object([
                ("run_id", .integer(Int64(truncatingIfNeeded: runID.rawValue))), ("job", .string(job)),
            ])
        case .runFinished(let run): payload = run.json
        case .job(let job): payload = job.json
        case .reloaded(let summary): payload = summary.json
        case .metrics(let text): payload = .string(text)
        }
        return .object([version, ("ok", .bool(true)), ("kind", .string(kind)), ("result", payload)])
    }

    /// One line of JSON, without the newline.
    public func serialized() -> String { json.serialized() }

    /// The line's bytes including the terminating newline, ready to write.
    public func encodedLine() -> [UInt8] {
        var bytes: [UInt8] = []
        json.write(to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    public init(json: JSONValue) throws(ControlProtocolError) {
        let reader = try JSONObjectReader(json, path: "response")
        let version = try reader.optionalInteger("version") ?? ControlProtocol.version
        guard version == ControlProtocol.version else {
            throw ControlProtocolError(
                kind: .unsupportedVersion,
                message: "the daemon speaks protocol version \(version), this schedctl \(ControlProtocol.version)"
            )
        }
        guard let ok = try reader.optionalBool("ok") else {
            throw JSONObjectReader.mismatch("response.ok", "a boolean")
        }
        if !ok {
            guard let error = reader.optional("error") else {
                throw JSONObjectReader.mismatch("response.error", "an object")
            }
            self = .failure(try ControlError(json: error, path: "response.error"))
            return
        }
        let kind = try reader.string("kind")
        let result = reader.optional("result") ?? .null
        switch kind {
        case "jobs":
            self = .jobs(
                try reader.array("result") { (value, path) throws(ControlProtocolError) in
                    try JobInfo(json: value, path: path)
                }
            )
        case "status": self = .status(try StatusInfo(json: result, path: "response.result"))
        case "runs":
            self = .runs(
                try reader.array("result") { (value, path) throws(ControlProtocolError) in
                    try RunInfo(json: value, path: path)
                }
            )
        case "run_started":
            let started = try JSONObjectReader(result, path: "response.result")
            let number = try started.integer("run_id")
            guard number >= 0 else { throw JSONObjectReader.mismatch("response.result.run_id", "a run id") }
            self = .runStarted(job: try started.string("job"), runID: RunID(rawValue: UInt64(number)))
        case "run_finished": self = .runFinished(try RunInfo(json: result, path: "response.result"))
        case "job": self = .job(try JobInfo(json: result, path: "response.result"))
        case "reload": self = .reloaded(try ReloadSummary(json: result, path: "response.result"))
        case "metrics":
            guard let text = result.stringValue else { throw JSONObjectReader.mismatch("response.result", "a string") }
            self = .metrics(text)
        default:
            throw ControlProtocolError(kind: .invalidMessage, message: "response.kind: unknown kind '\(kind)'")
        }
    }
}
