public import SchedCore

/// A blocking client for the control socket, as `schedctl` and tests use it: connect, send a
/// request line, read one response line. One connection can carry several requests in turn.
public final class ControlClient {
    public let socketPath: String
    private let descriptor: FileDescriptor
    /// Bytes read past the last response (the daemon answers in order, one line each).
    private var buffer: [UInt8] = []

    /// Connects to the daemon at `socketPath`.
    public init(socketPath: String) throws(ControlClientError) {
        self.socketPath = socketPath
        do {
            descriptor = try StreamSocket.connect(to: socketPath)
        } catch {
            switch error {
            case .noSuchFileOrDirectory, .connectionRefused, Errno(rawValue: 20) /* ENOTDIR */:
                throw ControlClientError(code: .daemonNotRunning, socketPath: socketPath, underlying: error)
            case .permissionDenied:
                throw ControlClientError(code: .permissionDenied, socketPath: socketPath, underlying: error)
            default:
                throw ControlClientError(code: .system, socketPath: socketPath, underlying: error)
            }
        }
    }

    deinit {
        descriptor.close()
    }

    /// Sends `request` and waits for its response; `timeout` nil waits as long as it takes (for
    /// `run-now --wait`).
    public func send(_ request: ControlRequest, timeout: Duration? = .seconds(30)) throws(ControlClientError)
        -> ControlResponse
    {
        let line = try exchange(Array((request.serialized() + "\n").utf8), timeout: timeout)
        do {
            return try ControlProtocol.decodeResponse(line)
        } catch {
            throw ControlClientError(code: .badResponse(error.message), socketPath: socketPath)
        }
    }

    /// Sends raw bytes and returns the next response line without its newline (for tests that need to
    /// send malformed requests).
    public func exchange(_ bytes: [UInt8], timeout: Duration? = .seconds(30)) throws(ControlClientError) -> [UInt8] {
        var failure: Errno?
        bytes.withUnsafeBytes { raw in
            do throws(Errno) {
                try descriptor.sendAll(raw)
            } catch {
                failure = error
            }
        }
        if let failure {
            // EPIPE: the daemon already closed (for example after refusing us as busy); its answer
            // may still be waiting to be read.
            if failure.rawValue != 32 /* EPIPE */ {
                throw ControlClientError(code: .system, socketPath: socketPath, underlying: failure)
            }
        }
        return try readLine(timeout: timeout)
    }

    /// Reads up to and excluding the next newline.
    public func readLine(timeout: Duration? = .seconds(30)) throws(ControlClientError) -> [UInt8] {
        var searched = 0
        while true {
            if let newline = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            searched = buffer.count
            guard buffer.count <= ControlProtocol.maximumResponseBytes else {
                throw ControlClientError(code: .badResponse("response too large"), socketPath: socketPath)
            }
            let ready: Bool
            do throws(Errno) {
                ready = try descriptor.waitUntilReadable(timeout: timeout)
            } catch {
                throw ControlClientError(code: .system, socketPath: socketPath, underlying: error)
            }
            guard ready else { throw ControlClientError(code: .timedOut, socketPath: socketPath) }
            let count = try readChunk()
            if count == 0 { throw ControlClientError(code: .connectionClosed, socketPath: socketPath) }
        }
    }

    private func readChunk() throws(ControlClientError) -> Int {
        var failure: Errno?
        let count = withUnsafeTemporaryAllocation(byteCount: 256 * 1024, alignment: 1) { chunk in
            do throws(Errno) {
                let count = try descriptor.read(into: chunk)
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<count]))
                return count
            } catch {
                failure = error
                return 0
            }
        }
        if let failure {
            if failure.rawValue == 104 /* ECONNRESET */ {
                throw ControlClientError(code: .connectionClosed, socketPath: socketPath, underlying: failure)
            }
            throw ControlClientError(code: .system, socketPath: socketPath, underlying: failure)
        }
        return count
    }
}
