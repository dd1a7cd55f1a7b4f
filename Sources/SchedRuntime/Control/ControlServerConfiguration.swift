/// How the control server listens and what it tolerates from clients.
public struct ControlServerConfiguration: Sendable {
    /// The socket's path (`socket` in the config).
    public var socketPath: String
    /// Permission bits of the socket file (`socket_mode`, default 0660).
    public var socketMode: UInt32
    /// Group of the socket file (`socket_group`), nil to keep the daemon's.
    public var socketGroupID: UInt32?
    /// Connections open at once; more are told `busy` and closed.
    public var maximumConnections: Int
    /// Largest request line in bytes, newline included.
    public var maximumRequestBytes: Int
    /// A connection that neither sends a complete request nor reads its response for this long is
    /// closed (waiting for the daemon's own answer, as in `run-now --wait`, does not count).
    public var idleTimeout: Duration

    public init(
        socketPath: String,
        socketMode: UInt32 = 0o660,
        socketGroupID: UInt32? = nil,
        maximumConnections: Int = 256,
        maximumRequestBytes: Int = 64 * 1024,
        idleTimeout: Duration = .seconds(30)
    ) {
        self.socketPath = socketPath
        self.socketMode = socketMode
        self.socketGroupID = socketGroupID
        self.maximumConnections = maximumConnections
        self.maximumRequestBytes = maximumRequestBytes
        self.idleTimeout = idleTimeout
    }
}
