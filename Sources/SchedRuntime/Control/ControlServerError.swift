/// Why the control server could not start listening.
public struct ControlServerError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// Another process answers on the socket (a second daemon).
        case alreadyListening
        /// Something other than a socket is at the path; the server will not remove it.
        case notASocket
        /// A system call failed; `underlying` says how.
        case systemCall(String)
    }

    public var code: Code
    public var path: String
    public var underlying: Errno?

    public init(code: Code, path: String, underlying: Errno? = nil) {
        self.code = code
        self.path = path
        self.underlying = underlying
    }

    public var description: String {
        switch code {
        case .alreadyListening:
            "control socket \(path) is in use: another schedd is running (stop it, or set 'socket' to another path)"
        case .notASocket:
            "control socket \(path): the path exists and is not a socket; refusing to replace it"
        case .systemCall(let call):
            "control socket \(path): \(call) failed: \(underlying.map(\.description) ?? "unknown error")"
        }
    }
}
