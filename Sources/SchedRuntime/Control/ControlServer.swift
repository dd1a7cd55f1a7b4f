// Control: the daemon's control socket.
//
// Design note
// - One listening Unix stream socket and every accepted connection live in a private epoll set (the
//   "poller"); the poller's descriptor is registered with the daemon's `EventLoop` as one readable
//   source. A nested epoll gives the server read *and* write interest per connection without the
//   loop needing to know about writability, and keeps this subsystem self-contained.
// - Nothing blocks the loop: accepted sockets are non-blocking; each event reads at most
//   `readBudget` bytes; responses go into a per-connection output buffer written as the socket takes
//   it (EPOLLOUT), so a client that never reads costs memory for one response, not a stuck loop.
// - Limits: `maximumRequestBytes` per request line (an over-long line gets `request_too_large` and the
//   connection closes), `maximumConnections` (further clients get `busy` and are closed),
//   `idleTimeout` (no request and no reading of our answer for that long closes the connection).
// - Authorization uses the peer's `SO_PEERCRED` credentials, read once at accept. Mutating requests
//   from others get `permission_denied`; every mutating request that is let through is logged with
//   its uid and pid.
// - Socket file: created with `socketMode` (then `socketGroupID`). A leftover socket nobody answers
//   on (a crashed daemon's) is replaced; one that answers means another daemon runs, an error. On
//   `stop()` the file is removed only if it is still the one this server bound (same inode).

import SchedCore

/// Serves `ControlRequest`s on a Unix socket, on an `EventLoop`, handing them to a `ControlHandler`.
///
/// Not `Sendable`: create, start and stop it on the loop's thread.
public final class ControlServer {
    public let configuration: ControlServerConfiguration
    private let authorization: ControlAuthorization
    private let loop: EventLoop
    private let handler: any ControlHandler
    private let logger: Logger

    private var poller: Epoll?
    private var pollerRegistration: EventLoop.Registration?
    private var listener: FileDescriptor?
    /// The inode of the socket file this server created, to remove only its own file.
    private var socketInode: UInt64?
    private var connections: [UInt64: ControlConnection] = [:]
    private var nextToken: UInt64 = 1
    private static let listenerToken: UInt64 = 0
    /// Bytes read per connection per event, so one chatty client cannot starve the loop.
    private let readBudget = 64 * 1024
    /// While accept fails for lack of descriptors, the listener is parked and retried after this.
    private let acceptBackoff: Duration = .milliseconds(100)

    public init(
        configuration: ControlServerConfiguration,
        authorization: ControlAuthorization,
        loop: EventLoop,
        handler: any ControlHandler,
        logger: Logger
    ) {
        self.configuration = configuration
        self.authorization = authorization
        self.loop = loop
        self.handler = handler
        self.logger = logger
    }

    deinit {
        for connection in connections.values { connection.descriptor.close() }
        listener?.close()
        poller?.close()
    }

    /// Number of open client connections.
    public var connectionCount: Int { connections.count }

    // MARK: - Lifecycle

    /// Creates the socket file and starts accepting connections.
    public func start() throws(ControlServerError) {
        precondition(listener == nil, "ControlServer.start() called twice")
        let path = configuration.socketPath
        func failure(_ call: String, _ errno: Errno) -> ControlServerError {
            ControlServerError(code: .systemCall(call), path: path, underlying: errno)
        }
        // 1. Make sure nothing live is at the path; a dead socket file is removed.
        try removeStaleSocket()
        // 2. Bind and listen. Until the mode is set below, the file has the umask's permissions, which
        //    only ever grant *less* than 0777; authorization never depends on the mode alone anyway.
        let descriptor: FileDescriptor
        do {
            descriptor = try StreamSocket.listen(at: path)
        } catch {
            if error.rawValue == 98 /* EADDRINUSE: a racing daemon bound first */ {
                throw ControlServerError(code: .alreadyListening, path: path, underlying: error)
            }
            throw failure("bind", error)
        }
        do throws(Errno) {
            // 3. Permissions and group before anyone is served.
            try StreamSocket.setMode(configuration.socketMode, at: path)
            if let group = configuration.socketGroupID { try StreamSocket.setGroup(group, at: path) }
            if case .socket(let inode) = try StreamSocket.kind(of: path) { socketInode = inode }
            // 4. Watch the listener through the poller, and the poller through the loop.
            let poller = try Epoll()
            self.poller = poller
            try poller.add(descriptor, interest: .readable, token: Self.listenerToken)
            pollerRegistration = try loop.register(poller.descriptor) { [unowned self] in
                self.pollEvents()
            }
        } catch {
            descriptor.close()
            poller?.close()
            poller = nil
            try? StreamSocket.removeFile(at: path)
            throw failure("setting up the socket", error)
        }
        listener = descriptor
    }

    /// Closes every connection and the listener, and removes the socket file if it is still ours.
    /// Pending replies are dropped.
    public func stop() {
        for connection in Array(connections.values) { close(connection) }
        if let pollerRegistration { loop.unregister(pollerRegistration) }
        pollerRegistration = nil
        listener?.close()
        listener = nil
        poller?.close()
        poller = nil
        if let socketInode, case .socket(let inode)? = try? StreamSocket.kind(of: configuration.socketPath),
            inode == socketInode
        {
            try? StreamSocket.removeFile(at: configuration.socketPath)
        }
        socketInode = nil
    }

    /// Removes a socket file nobody listens on; throws when a server answers or a non-socket is there.
    private func removeStaleSocket() throws(ControlServerError) {
        let path = configuration.socketPath
        let kind: StreamSocket.PathKind
        do {
            kind = try StreamSocket.kind(of: path)
        } catch {
            throw ControlServerError(code: .systemCall("lstat"), path: path, underlying: error)
        }
        switch kind {
        case .missing:
            return
        case .other:
            throw ControlServerError(code: .notASocket, path: path)
        case .socket:
            do {
                let probe = try StreamSocket.connect(to: path)
                probe.close()
                throw ControlServerError(code: .alreadyListening, path: path)
            } catch let error as ControlServerError {
                throw error
            } catch {
                // ECONNREFUSED: nobody listens; the file is a crashed daemon's leftover.
                logger.notice("replacing stale control socket", ["path": .string(path)])
                do {
                    try StreamSocket.removeFile(at: path)
                } catch {
                    throw ControlServerError(code: .systemCall("unlink"), path: path, underlying: error)
                }
            }
        }
    }

    // MARK: - Events

    private func pollEvents() {
        guard let poller else { return }
        let events: [Epoll.ReadyEvent]
        do {
            events = try poller.wait(timeoutMilliseconds: 0)
        } catch {
            logger.error("control poller failed", ["error": .string(error.description)])
            return
        }
        for event in events {
            if event.token == Self.listenerToken {
                acceptConnections()
                continue
            }
            // A connection closed earlier in this batch is simply gone.
            guard let connection = connections[event.token] else { continue }
            if event.isWritable && connection.interest.contains(.writable) {
                flush(connection)
            }
            guard connections[event.token] != nil else { continue }
            if event.isReadable {
                if connection.interest.contains(.readable) {
                    readAvailable(connection)
                } else if !event.isWritable || !connection.interest.contains(.writable) {
                    // Neither interest asked for this: EPOLLHUP/EPOLLERR, the peer is gone.
                    close(connection)
                }
            }
        }
    }

    private func acceptConnections() {
        guard let listener else { return }
        while true {
            let descriptor: FileDescriptor
            do {
                guard let accepted = try listener.acceptConnection() else { return }
                descriptor = accepted
            } catch {
                // EMFILE/ENFILE/ENOBUFS: level-triggered readiness would spin; park the listener briefly.
                logger.warning("control socket accept failed", ["error": .string(error.description)])
                parkListener()
                return
            }
            guard connections.count < configuration.maximumConnections else {
                refuse(descriptor, ControlError(code: .busy, message: "too many control connections; try again"))
                continue
            }
            guard let peer = try? descriptor.peerCredentials() else {
                descriptor.close()
                continue
            }
            let token = nextToken
            nextToken += 1
            let connection = ControlConnection(token: token, descriptor: descriptor, peer: peer, now: .now())
            do {
                try poller?.add(descriptor, interest: .readable, token: token)
            } catch {
                descriptor.close()
                continue
            }
            connections[token] = connection
            scheduleIdleCheck(connection)
        }
    }

    /// Answers `error` on a connection the server will not keep, without waiting for the client.
    private func refuse(_ descriptor: FileDescriptor, _ error: ControlError) {
        let line = ControlResponse.failure(error).encodedLine()
        _ = line.withUnsafeBytes { try? descriptor.sendNonBlocking($0) }
        descriptor.close()
    }

    private func parkListener() {
        guard let listener, let poller else { return }
        try? poller.remove(listener)
        loop.scheduleTimer(after: acceptBackoff) { [weak self] in
            guard let self, let poller = self.poller, self.listener == listener else { return }
            try? poller.add(listener, interest: .readable, token: Self.listenerToken)
        }
    }

    // MARK: - Reading requests

    private func readAvailable(_ connection: ControlConnection) {
        var budget = readBudget
        var failed = false
        withUnsafeTemporaryAllocation(byteCount: 16 * 1024, alignment: 1) { buffer in
            while budget > 0 {
                let count: Int
                do throws(Errno) {
                    count = try connection.descriptor.read(into: buffer)
                } catch {
                    if error != .wouldBlock { failed = true }
                    return
                }
                if count == 0 {
                    connection.inputClosed = true
                    return
                }
                connection.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                connection.lastActivity = .now()
                budget -= count
                // Stop early once a complete line is here: the rest waits for the answer anyway.
                if connection.input.count > configuration.maximumRequestBytes
                    || buffer[..<count].contains(UInt8(ascii: "\n"))
                {
                    return
                }
            }
        }
        if failed {
            close(connection)
            return
        }
        if connection.draining {
            connection.input = []
            if connection.inputClosed { close(connection) }
            return
        }
        processInput(connection)
    }

    /// Serves complete request lines until one is in flight or output is pending, then sets interest.
    /// Re-entry for the same connection (a handler replying synchronously, whose flush finishes) is a
    /// no-op: the outer call's loop carries on with the next line.
    private func processInput(_ connection: ControlConnection) {
        guard serving.insert(connection.token).inserted else { return }
        defer { serving.remove(connection.token) }
        while !connection.awaitingReply && !connection.hasPendingOutput && !connection.closeAfterFlush {
            guard let line = connection.takeLine() else {
                if connection.input.count >= configuration.maximumRequestBytes {
                    connection.input = []
                    connection.closeAfterFlush = true
                    let limit = configuration.maximumRequestBytes
                    send(
                        .failure(ControlError(code: .requestTooLarge, message: "request exceeds \(limit) bytes")),
                        to: connection
                    )
                } else if connection.inputClosed {
                    // EOF with nothing (or half a line) left: the client is done.
                    close(connection)
                    return
                }
                break
            }
            guard line.count < configuration.maximumRequestBytes else {
                connection.input = []
                connection.closeAfterFlush = true
                send(.failure(ControlError(code: .requestTooLarge, message: "request too large")), to: connection)
                break
            }
            serve(line, on: connection)
            guard connections[connection.token] != nil else { return }
        }
        updateInterest(connection)
    }

    private func serve(_ line: ArraySlice<UInt8>, on connection: ControlConnection) {
        let request: ControlRequest
        do {
            request = try ControlProtocol.decodeRequest(line)
        } catch {
            send(.failure(error.controlError), to: connection)
            return
        }
        let peer = connection.peer
        let fields: KeyValuePairs<String, LogValue> = [
            "command": .string(request.command.rawValue),
            "job": request.job.map(LogValue.string) ?? .null,
            "uid": .integer(Int64(peer.userID)),
            "pid": .integer(Int64(peer.processID.rawValue)),
        ]
        if request.isMutating {
            guard authorization.allowsMutation(by: peer) else {
                logger.warning("control request refused", fields)
                let message =
                    "uid \(peer.userID) may not \(request.command.rawValue): mutating requests need root, "
                    + "the daemon's user or membership of its socket group"
                send(.failure(ControlError(code: .permissionDenied, message: message)), to: connection)
                return
            }
            logger.notice("control request", fields)
        }
        connection.awaitingReply = true
        let token = connection.token
        handler.handle(request, from: peer) { [weak self] response in
            self?.deliver(response, toToken: token)
        }
    }

    /// A handler's reply: dropped when the client has gone or already got its answer.
    private func deliver(_ response: ControlResponse, toToken token: UInt64) {
        guard let connection = connections[token], connection.awaitingReply else { return }
        connection.awaitingReply = false
        connection.lastActivity = .now()
        send(response, to: connection)
        guard connections[token] != nil else { return }
        processInput(connection)
    }

    // MARK: - Writing responses

    private func send(_ response: ControlResponse, to connection: ControlConnection) {
        connection.enqueue(response.encodedLine())
        flush(connection)
    }

    /// Writes pending output as far as the socket takes it; closes on a write error or when asked to
    /// close after the last byte.
    private func flush(_ connection: ControlConnection) {
        while connection.hasPendingOutput {
            var failure: Errno?
            let written = connection.output.withUnsafeBytes { bytes in
                do throws(Errno) {
                    let pending = UnsafeRawBufferPointer(rebasing: bytes[connection.outputOffset...])
                    return try connection.descriptor.sendNonBlocking(pending)
                } catch {
                    failure = error
                    return 0
                }
            }
            if let failure {
                if failure == .wouldBlock { break }
                close(connection)  // EPIPE/ECONNRESET: the client went away
                return
            }
            connection.outputOffset += written
            connection.lastActivity = .now()
        }
        if !connection.hasPendingOutput {
            connection.output = []
            connection.outputOffset = 0
            if connection.closeAfterFlush && !connection.draining {
                connection.draining = true
                connection.input = []
                connection.descriptor.shutdownWrite()
            }
        }
        updateInterest(connection)
        if !connection.hasPendingOutput && !connection.awaitingReply && !connection.draining {
            // Output drained (perhaps from an EPOLLOUT event): serve request lines that arrived meanwhile.
            processInput(connection)
        }
    }

    /// Tokens of connections inside `processInput` right now (a synchronous reply must not recurse).
    private var serving: Set<UInt64> = []

    /// Reads only while nothing is in flight or pending; writes only while output is pending.
    private func updateInterest(_ connection: ControlConnection) {
        guard connections[connection.token] != nil else { return }
        var interest: Epoll.Interest = []
        if connection.hasPendingOutput {
            interest.insert(.writable)
        } else if connection.draining {
            interest.insert(.readable)
        } else if !connection.awaitingReply && !connection.closeAfterFlush && !connection.inputClosed {
            interest.insert(.readable)
        }
        guard interest != connection.interest else { return }
        connection.interest = interest
        do {
            try poller?.modify(connection.descriptor, interest: interest, token: connection.token)
        } catch {
            close(connection)
        }
    }

    // MARK: - Closing

    private func close(_ connection: ControlConnection) {
        guard connections.removeValue(forKey: connection.token) != nil else { return }
        if let timer = connection.idleTimer { loop.cancelTimer(timer) }
        try? poller?.remove(connection.descriptor)
        connection.descriptor.close()
    }

    private func scheduleIdleCheck(_ connection: ControlConnection) {
        let token = connection.token
        connection.idleTimer = loop.scheduleTimer(at: connection.lastActivity + configuration.idleTimeout) {
            [weak self] in
            self?.checkIdle(token)
        }
    }

    private func checkIdle(_ token: UInt64) {
        guard let connection = connections[token] else { return }
        connection.idleTimer = nil
        let deadline = connection.lastActivity + configuration.idleTimeout
        // Waiting for the daemon's own answer (run-now --wait) is not the client's idleness.
        if connection.awaitingReply || MonotonicInstant.now() < deadline {
            if connection.awaitingReply { connection.lastActivity = .now() }
            scheduleIdleCheck(connection)
            return
        }
        close(connection)
    }
}
