/// A request on the control socket.
public enum ControlRequest: Hashable, Sendable {
    /// Every job with its state, next and last run.
    case list
    /// The daemon's version, uptime, config path and counts.
    case status
    /// Past runs of `job`, newest first; at most `limit` (nil: the daemon's default).
    case history(job: String, limit: Int?)
    /// Start a run of `job` now without moving its schedule. `wait`: answer when it has finished;
    /// `force`: run even when `max_instances` runs are active.
    case runNow(job: String, wait: Bool, force: Bool)
    /// Stop firing `job` until resumed (kept across reloads and restarts).
    case pause(job: String)
    /// Undo `pause`.
    case resume(job: String)
    /// Re-read the configuration; answers with the outcome.
    case reload
    /// Prometheus metrics text.
    case metrics

    /// The wire names of the commands.
    public enum Command: String, CaseIterable, Sendable {
        case list, status, history
        case runNow = "run-now"
        case pause, resume, reload, metrics

        /// Every command's wire name, for "did you mean".
        public static var allNames: [String] { allCases.map(\.rawValue) }
    }

    public var command: Command {
        switch self {
        case .list: .list
        case .status: .status
        case .history: .history
        case .runNow: .runNow
        case .pause: .pause
        case .resume: .resume
        case .reload: .reload
        case .metrics: .metrics
        }
    }

    /// Whether the request changes the daemon's state: only root, the daemon's user and members of
    /// `socket_group` may make these.
    public var isMutating: Bool {
        switch self {
        case .list, .status, .history, .metrics: false
        case .runNow, .pause, .resume, .reload: true
        }
    }

    /// The job the request names, if any (for logs).
    public var job: String? {
        switch self {
        case .history(let job, _), .runNow(let job, _, _), .pause(let job), .resume(let job): job
        case .list, .status, .reload, .metrics: nil
        }
    }

    // MARK: - JSON

    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("version", .integer(ControlProtocol.version)),
            ("command", .string(command.rawValue)),
        ]
        switch self {
        case .list, .status, .reload, .metrics:
            break
        case .history(let job, let limit):
            members.append(("job", .string(job)))
            members.append(("limit", JSONValue(limit)))
        case .runNow(let job, let wait, let force):
            members.append(("job", .string(job)))
            members.append(("wait", .bool(wait)))
            members.append(("force", .bool(force)))
        case .pause(let job), .resume(let job):
            members.append(("job", .string(job)))
        }
        return .object(members)
    }

    /// One line of JSON, without the newline.
    public func serialized() -> String { json.serialized() }

    public init(json: JSONValue) throws(ControlProtocolError) {
        let reader = try JSONObjectReader(json, path: "request")
        let version = try reader.optionalInteger("version") ?? ControlProtocol.version
        guard version == ControlProtocol.version else {
            throw ControlProtocolError(
                kind: .unsupportedVersion,
                message: "protocol version \(version) is not supported (this daemon speaks \(ControlProtocol.version))"
            )
        }
        let name = try reader.string("command")
        guard let command = Command(rawValue: name) else {
            throw ControlProtocolError(kind: .unknownCommand, message: "unknown command '\(name)'")
        }
        switch command {
        case .list: self = .list
        case .status: self = .status
        case .reload: self = .reload
        case .metrics: self = .metrics
        case .history:
            let limit = try reader.optionalInteger("limit", as: Int.self)
            if let limit, limit < 1 {
                throw ControlProtocolError(kind: .invalidMessage, message: "request.limit: must be at least 1")
            }
            self = .history(job: try reader.string("job"), limit: limit)
        case .runNow:
            self = .runNow(
                job: try reader.string("job"),
                wait: try reader.optionalBool("wait") ?? false,
                force: try reader.optionalBool("force") ?? false
            )
        case .pause: self = .pause(job: try reader.string("job"))
        case .resume: self = .resume(job: try reader.string("job"))
        }
    }
}
