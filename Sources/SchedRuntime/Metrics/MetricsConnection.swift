/// One client of the metrics listener: read a request head, send one response, linger, close.
///
/// Lives on the loop thread; the listener's table keeps it alive until `close()`.
final class MetricsConnection {
    private enum State {
        case reading([UInt8])
        case writing([UInt8], sent: Int)
        case lingering
        case closed
    }

    private let descriptor: FileDescriptor
    private let token: UInt64
    private unowned let listener: MetricsListener
    private var state: State = .reading([])
    private var readRegistration: EventLoop.Registration?
    private var watchingWritable = false
    private var deadline: EventLoop.TimerID?

    /// Starts watching `descriptor`; nil (descriptor closed) when the loop cannot watch it.
    init?(_ descriptor: FileDescriptor, token: UInt64, listener: MetricsListener) {
        self.descriptor = descriptor
        self.token = token
        self.listener = listener
        do {
            readRegistration = try listener.loop.register(descriptor) { [weak self] in self?.readable() }
        } catch {
            descriptor.close()
            return nil
        }
        setDeadline(listener.limits.requestTimeout)
    }

    // MARK: - Reading

    private func readable() {
        for _ in 0..<4 {
            let count: Int
            do {
                count = try descriptor.read(into: listener.readBuffer)
            } catch .wouldBlock {
                return
            } catch {
                close()
                return
            }
            if count == 0 {
                peerFinishedSending()
                return
            }
            guard case .reading(var buffer) = state else {
                // Writing or lingering: whatever else the client sends is discarded.
                continue
            }
            // Never hold more than the head limit (plus one byte, so the parser sees it was exceeded).
            let room = HTTPRequestHead.maximumHeadBytes + 1 - buffer.count
            buffer.append(contentsOf: listener.readBuffer[..<min(count, room)])
            state = .reading(buffer)
            let parsed = HTTPRequestHead.parse(buffer)
            if let response = HTTPResponse.answer(parsed, render: listener.render) {
                if case .invalid(let reason) = parsed {
                    listener.logger?.debug("metrics_request_refused", ["reason": .string(reason)])
                }
                respond(response.bytes)
            }
        }
    }

    /// EOF from the client: before a complete head it has given up; later it only closed its side.
    private func peerFinishedSending() {
        switch state {
        case .reading, .lingering, .closed:
            close()
        case .writing:
            // Keep sending; stop watching readability, which would now report EOF forever.
            if let readRegistration { listener.loop.unregister(readRegistration) }
            readRegistration = nil
        }
    }

    // MARK: - Writing

    private func respond(_ bytes: [UInt8]) {
        state = .writing(bytes, sent: 0)
        setDeadline(listener.limits.writeTimeout)
        writeReady()
    }

    /// Sends as much as the socket takes; on a full buffer waits for writability.
    func writeReady() {
        guard case .writing(let bytes, var sent) = state else { return }
        while sent < bytes.count {
            // `withUnsafeBytes` rethrows untyped errors, so the typed result is carried out by hand.
            let result = bytes.withUnsafeBytes { all in
                Result { () throws(Errno) in try descriptor.sendSome(UnsafeRawBufferPointer(rebasing: all[sent...])) }
            }
            let count: Int
            do {
                count = try result.get()
            } catch .wouldBlock {
                state = .writing(bytes, sent: sent)
                if !watchingWritable {
                    do {
                        try listener.writeReadiness.watch(descriptor, token: token)
                        watchingWritable = true
                    } catch {
                        close()
                    }
                }
                return
            } catch {
                close()
                return
            }
            sent += count
        }
        finishWriting()
    }

    private func finishWriting() {
        if watchingWritable {
            listener.writeReadiness.unwatch(descriptor)
            watchingWritable = false
        }
        descriptor.shutdownSending()
        guard readRegistration != nil else {
            // The client already closed its side: nothing to drain.
            close()
            return
        }
        state = .lingering
        setDeadline(listener.limits.lingerTimeout)
    }

    // MARK: - Closing

    private func setDeadline(_ delay: Duration) {
        if let deadline { listener.loop.cancelTimer(deadline) }
        deadline = listener.loop.scheduleTimer(after: delay) { [weak self] in
            guard let self else { return }
            self.deadline = nil
            if case .reading = self.state {
                self.listener.logger?.debug("metrics_request_refused", ["reason": "request timeout"])
            }
            self.close()
        }
    }

    /// Releases everything; idempotent.
    func close() {
        if case .closed = state { return }
        state = .closed
        if let deadline { listener.loop.cancelTimer(deadline) }
        deadline = nil
        if let readRegistration { listener.loop.unregister(readRegistration) }
        readRegistration = nil
        if watchingWritable { listener.writeReadiness.unwatch(descriptor) }
        watchingWritable = false
        descriptor.close()
        listener.connectionClosed(token)
    }
}
