/// An error answer on the control socket: a stable machine-readable code, the sentence a user reads,
/// and optional "did you mean" suggestions and detail lines (a failed reload's diagnostics).
public struct ControlError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable error code on the wire (`unknown_job`). A struct over a string rather than a closed
    /// enum, so a client can still show a code a newer daemon invented.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The request was not valid JSON or not a valid message.
        public static let badRequest = Code(rawValue: "bad_request")
        /// The request's `version` is not one the daemon speaks.
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
        /// The `command` is not known.
        public static let unknownCommand = Code(rawValue: "unknown_command")
        /// The request line exceeded `ControlProtocol.maximumRequestBytes`.
        public static let requestTooLarge = Code(rawValue: "request_too_large")
        /// The daemon has too many control connections open.
        public static let busy = Code(rawValue: "busy")
        /// The caller may not make this (mutating) request.
        public static let permissionDenied = Code(rawValue: "permission_denied")
        /// No job has this id; `suggestions` may name close ones.
        public static let unknownJob = Code(rawValue: "unknown_job")
        /// The job already runs `max_instances` times (use `--force`).
        public static let maxInstancesReached = Code(rawValue: "max_instances")
        /// The new configuration is invalid; `details` holds the diagnostics, the old schedule stays.
        public static let reloadFailed = Code(rawValue: "reload_failed")
        /// The daemon is shutting down and starts nothing new.
        public static let shuttingDown = Code(rawValue: "shutting_down")
        /// The request was valid but failed (the message says why).
        public static let failed = Code(rawValue: "failed")
        /// A bug or an unexpected system error in the daemon.
        public static let `internal` = Code(rawValue: "internal")
    }

    public var code: Code
    public var message: String
    /// Close matches for a misspelt name ("did you mean").
    public var suggestions: [String]
    /// Further lines to show as they are (for example `file:line:column: error: …` diagnostics).
    public var details: [String]

    public init(code: Code, message: String, suggestions: [String] = [], details: [String] = []) {
        self.code = code
        self.message = message
        self.suggestions = suggestions
        self.details = details
    }

    public var description: String { message }

    /// `unknown job 'bakup'`, suggesting the known ids closest to `id` (at most three).
    public static func unknownJob(_ id: String, knownIDs: [String]) -> ControlError {
        ControlError(
            code: .unknownJob,
            message: "unknown job '\(id)'",
            suggestions: KeySuggestion.closestCandidates(to: id, among: knownIDs, limit: 3)
        )
    }

    var json: JSONValue {
        .object([
            ("code", .string(code.rawValue)),
            ("message", .string(message)),
            ("suggestions", .array(suggestions.map(JSONValue.string))),
            ("details", .array(details.map(JSONValue.string))),
        ])
    }

    init(json: JSONValue, path: String) throws(ControlProtocolError) {
        let reader = try JSONObjectReader(json, path: path)
        code = Code(rawValue: try reader.string("code"))
        message = try reader.string("message")
        suggestions = try reader.strings("suggestions")
        details = try reader.strings("details")
    }
}
