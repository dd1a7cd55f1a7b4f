// Protocol: the control socket's messages, shared by the daemon and `schedctl`.
//
// Design note
// - Framing: newline-delimited JSON over a Unix stream socket. The client writes one request object
//   on one line; the server answers with one response object on one line, in order. A connection may
//   carry several requests one after the other. Printed JSON never contains a raw newline, so a
//   newline always ends a message.
// - Versioning: every message carries `"version"`. A server answers a request of a version it does
//   not speak with an `unsupported_version` error (and says which it speaks); a request without
//   `"version"` is taken as version 1 so an operator can type one into `nc -U` by hand.
// - Requests: `{"version":1,"command":"history","job":"backup","limit":20}`, with `command` one of
//   `list`, `status`, `history`, `run-now`, `pause`, `resume`, `reload`, `metrics`.
// - Responses: `{"version":1,"ok":true,"kind":"jobs","result":[…]}` or
//   `{"version":1,"ok":false,"error":{"code":"unknown_job","message":"…","suggestions":["…"],"details":[]}}`.
//   `kind` names the payload so a response can be decoded without knowing the request.
// - Field names of jobs, runs and status follow ARCHITECTURE.md "Interfaces" exactly; times are
//   RFC 3339 UTC strings, absent facts are null.
// - Decoding is total: anything malformed becomes a `ControlProtocolError`, never a trap. Sizes are
//   bounded by the transport (64 KiB per request) and by `JSONParser`'s depth limit.

/// Constants of the control protocol.
public enum ControlProtocol {
    /// The version this build speaks.
    public static let version: Int64 = 1
    /// The largest request line the server accepts, newline included.
    public static let maximumRequestBytes = 64 * 1024
    /// The largest response line a client accepts (a listing of many thousands of jobs fits).
    public static let maximumResponseBytes = 256 << 20
    /// Nesting limit for requests (the deepest valid request is 1 level deep).
    public static let maximumRequestDepth = 8
    /// Nesting limit for responses (the deepest valid response is 5 levels deep).
    public static let maximumResponseDepth = 16

    /// Parses one request line (without its newline).
    public static func decodeRequest<Bytes: Collection<UInt8>>(
        _ line: Bytes
    ) throws(ControlProtocolError) -> ControlRequest {
        let parser = JSONParser(maximumDepth: maximumRequestDepth, maximumBytes: maximumRequestBytes)
        let value: JSONValue
        do {
            value = try parser.parse(line)
        } catch {
            throw ControlProtocolError(kind: .malformedJSON, message: "malformed JSON: \(error)")
        }
        return try ControlRequest(json: value)
    }

    /// Parses one response line (without its newline).
    public static func decodeResponse<Bytes: Collection<UInt8>>(
        _ line: Bytes
    ) throws(ControlProtocolError) -> ControlResponse {
        let parser = JSONParser(maximumDepth: maximumResponseDepth, maximumBytes: maximumResponseBytes)
        let value: JSONValue
        do {
            value = try parser.parse(line)
        } catch {
            throw ControlProtocolError(kind: .malformedJSON, message: "malformed JSON: \(error)")
        }
        return try ControlResponse(json: value)
    }
}

/// A message that is not valid JSON, or valid JSON that is not a message of this protocol.
public struct ControlProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// Not JSON at all (or over a limit).
        case malformedJSON
        /// JSON, but not a message: missing or mistyped fields.
        case invalidMessage
        /// A `command` this version does not know.
        case unknownCommand
        /// A `version` this build does not speak.
        case unsupportedVersion
    }

    public var kind: Kind
    /// What was wrong, for the peer's error message.
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The error response a server sends for this problem.
    public var controlError: ControlError {
        switch kind {
        case .malformedJSON, .invalidMessage: ControlError(code: .badRequest, message: message)
        case .unknownCommand:
            ControlError(code: .unknownCommand, message: message, suggestions: ControlRequest.Command.allNames)
        case .unsupportedVersion: ControlError(code: .unsupportedVersion, message: message)
        }
    }
}
