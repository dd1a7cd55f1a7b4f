public import SchedCore

// MetricsListener: `metrics_listen = "127.0.0.1:9464"`, plain HTTP on the daemon's event loop.
//
// Design note
// - One request per connection: read a head (strict parser, `HTTPRequestHead`), answer, close. No
//   keep-alive, no bodies, no chunking: Prometheus scrapes happily over one-shot connections, and every
//   resource a client can hold is bounded.
// - Bounds: `maximumConnections` at once (more are accepted and closed at once, so the backlog cannot
//   fill with stale clients); the head within 8 KiB and 32 headers; `requestTimeout` from accept to a
//   complete head, measured from accept and never extended by trickling bytes (slowloris); the response
//   sent within `writeTimeout` with non-blocking sends, resumed when the socket becomes writable.
// - After the response: shut down the sending side and drain what the client still sends, for at most
//   `lingerTimeout`, before closing. Closing with unread input makes the kernel send a reset, which can
//   destroy the response in flight (a 400 for an oversized request would never arrive).
// - Everything runs on the loop thread; `render` is called there, only for a successful GET or HEAD.

/// Serves the metrics exposition over HTTP from an `EventLoop`; see the design note above.
///
/// Not `Sendable`: use on the loop's thread.
public final class MetricsListener {
    /// Resource bounds per listener.
    public struct Limits: Sendable {
        public var maximumConnections = 16
        public var requestTimeout: Duration = .seconds(5)
        public var writeTimeout: Duration = .seconds(10)
        public var lingerTimeout: Duration = .seconds(1)

        public init() {}
    }

    /// The port bound (useful when the address asked for port 0).
    public let port: UInt16
    let limits: Limits
    let loop: EventLoop
    let render: () -> String
    let logger: Logger?
    private let socket: FileDescriptor
    private var registration: EventLoop.Registration?
    let writeReadiness: WriteReadiness
    private var writeRegistration: EventLoop.Registration?
    private var connections: [UInt64: MetricsConnection] = [:]
    private var nextToken: UInt64 = 1
    /// One read buffer for all connections (single-threaded).
    let readBuffer: UnsafeMutableRawBufferPointer

    /// Binds `address` and starts accepting on `loop`.
    ///
    /// - Throws: `Errno` when the address cannot be bound (EADDRINUSE, EADDRNOTAVAIL, EACCES).
    public init(
        loop: EventLoop,
        address: ListenAddress,
        limits: Limits = Limits(),
        logger: Logger? = nil,
        render: @escaping () -> String
    ) throws(Errno) {
        self.loop = loop
        self.limits = limits
        self.logger = logger
        self.render = render
        let bound = try TCPSocket.listen(host: address.host, port: address.port, ipv6: address.family == .ipv6)
        socket = bound.descriptor
        port = bound.port
        readBuffer = .allocate(byteCount: 4096, alignment: 16)
        do throws(Errno) {
            writeReadiness = try WriteReadiness()
            registration = try loop.register(socket) { [weak self] in self?.acceptPending() }
            writeRegistration = try loop.register(writeReadiness.descriptor) { [weak self] in self?.writePending() }
        } catch {
            if let registration { loop.unregister(registration) }
            socket.close()
            readBuffer.deallocate()
            throw error
        }
    }

    deinit {
        close()
        readBuffer.deallocate()
    }

    /// Connections open now.
    public var connectionCount: Int { connections.count }

    /// Stops listening and drops every connection. Idempotent.
    public func close() {
        guard let registration else { return }
        loop.unregister(registration)
        self.registration = nil
        if let writeRegistration { loop.unregister(writeRegistration) }
        writeRegistration = nil
        for connection in Array(connections.values) { connection.close() }
        socket.close()
    }

    // MARK: - Events

    private func acceptPending() {
        // A bounded batch per wake-up; level-triggered epoll calls again for the rest.
        for _ in 0..<16 {
            let accepted: FileDescriptor?
            do {
                accepted = try socket.acceptConnection()
            } catch {
                // EMFILE and the like: the connection stays queued; try again at the next readiness.
                logger?.warning("metrics_accept_failed", ["error": "\(error)"])
                return
            }
            guard let client = accepted else { return }
            guard connections.count < limits.maximumConnections else {
                client.close()
                continue
            }
            let token = nextToken
            nextToken += 1
            if let connection = MetricsConnection(client, token: token, listener: self) {
                connections[token] = connection
            }
        }
    }

    private func writePending() {
        for token in writeReadiness.ready() {
            connections[token]?.writeReady()
        }
    }

    /// Called by a connection once it has closed itself.
    func connectionClosed(_ token: UInt64) {
        connections[token] = nil
    }
}
