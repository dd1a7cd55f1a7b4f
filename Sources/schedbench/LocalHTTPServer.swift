import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 for the `http` benchmark: one thread, one connection at a
/// time, every request answered `200 ok` with `Connection: close`.
///
/// Sequential on purpose: answering takes microseconds next to the milliseconds a probe process needs
/// to start, so the server is never what limits the measured rate, and it adds no threads to reason
/// about. It counts the requests it answered.
final class LocalHTTPServer: Sendable {
    let port: Int
    private let listener: Int32
    private let answered = Atomic<Int>(0)

    /// Requests answered so far.
    var requestCount: Int { answered.load(ordering: .relaxed) }

    init() {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        precondition(listener >= 0, "socket failed")
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listener = listener
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 1024) == 0
                    && getsockname(listener, $0, &length) == 0
            }
        }
        precondition(ok, "cannot listen on 127.0.0.1")
        port = Int(UInt16(bigEndian: address.sin_port))
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread,
            nil,
            { argument in
                Unmanaged<LocalHTTPServer>.fromOpaque(argument!).takeRetainedValue().serve()
                return nil
            },
            context
        )
        precondition(status == 0, "cannot start the server thread")
    }

    /// The accept loop; runs for the life of the process.
    private func serve() {
        let response = Array(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".utf8
        )
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let terminator = Array("\r\n\r\n".utf8)
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            // Read until the end of the request head (the probe sends no body for GET).
            var received: [UInt8] = []
            while received.firstRange(of: terminator) == nil {
                let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                received.append(contentsOf: buffer[..<count])
            }
            if received.firstRange(of: terminator) != nil {
                _ = response.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                answered.add(1, ordering: .relaxed)
            }
            close(connection)
        }
    }
}
