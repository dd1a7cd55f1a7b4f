import Glibc

@testable import SchedRuntime

/// A test stand-in for systemd's notification socket: a bound AF_UNIX datagram socket.
final class DatagramReceiver {
    let descriptor: Int32
    /// The address to put in `NOTIFY_SOCKET` (path, or `@name`).
    let address: String
    private let path: String?

    /// Binds a fresh socket: a path under /tmp, or an abstract name when `abstract`.
    init(abstract: Bool) throws {
        let unique = "schedd-notify-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Errno.current }
        address = abstract ? "@\(unique)" : "/tmp/\(unique).sock"
        path = abstract ? nil : address

        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(address.utf8)
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &storage.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(2 + bytes.count + (abstract ? 0 : 1))
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else {
            let error = Errno.current
            close(descriptor)
            throw error
        }
        // Never hang a test: give up after 5 s.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
        if let path { unlink(path) }
    }

    /// The next datagram's text.
    func receive() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count >= 0 else { throw Errno.current }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}
