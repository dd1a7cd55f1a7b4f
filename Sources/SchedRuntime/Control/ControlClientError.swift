/// Why `ControlClient` could not get an answer.
public struct ControlClientError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// Nothing listens at the socket path (no file, or a stale one).
        case daemonNotRunning
        /// The socket exists but this user may not connect to it.
        case permissionDenied
        /// The daemon closed the connection without answering.
        case connectionClosed
        /// No answer within the timeout.
        case timedOut
        /// The answer was not a valid response.
        case badResponse(String)
        /// Another system error.
        case system
    }

    public var code: Code
    public var socketPath: String
    public var underlying: Errno?

    public init(code: Code, socketPath: String, underlying: Errno? = nil) {
        self.code = code
        self.socketPath = socketPath
        self.underlying = underlying
    }

    public var description: String {
        switch code {
        case .daemonNotRunning:
            "cannot reach schedd: no daemon is listening on \(socketPath)"
                + (underlying.map { " (\($0))" } ?? "")
                + "\nIs it running? Try 'systemctl status schedd', or point --socket / SCHEDD_SOCKET at its socket."
        case .permissionDenied:
            "cannot connect to \(socketPath): permission denied (are you in the daemon's socket group?)"
        case .connectionClosed:
            "schedd at \(socketPath) closed the connection without answering"
        case .timedOut:
            "schedd at \(socketPath) did not answer in time"
        case .badResponse(let detail):
            "schedd at \(socketPath) sent an invalid response: \(detail)"
        case .system:
            "talking to schedd at \(socketPath) failed: \(underlying.map(\.description) ?? "unknown error")"
        }
    }
}
