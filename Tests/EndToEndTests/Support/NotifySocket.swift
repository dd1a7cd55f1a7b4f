import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A stand-in for systemd's notification socket: a bound AF_UNIX datagram socket whose path goes in
/// `NOTIFY_SOCKET`. Collects every datagram schedd sends.
final class NotifySocket {
    let descriptor: Int32
    let path: String
    private(set) var messages: [String] = []

    init() throws {
        path = "/tmp/schedd-e2e-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(descriptor >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        try #require(bound == 0, "bind \(path): errno \(errno)")
        // Short receive timeout: `collect` polls.
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// Receives datagrams until `count` of them contain `fragment` (true) or `timeout` seconds pass.
    @discardableResult
    func waitForMessage(containing fragment: String, occurrences wanted: Int = 1, timeout: Double = 5) -> Bool {
        if self.count(containing: fragment) >= wanted { return true }
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            let message = String(decoding: buffer[..<count], as: UTF8.self)
            messages.append(message)
            if self.count(containing: fragment) >= wanted { return true }
        }
        return false
    }

    /// How many received messages contain `fragment`.
    func count(containing fragment: String) -> Int {
        messages.filter { $0.contains(fragment) }.count
    }
}
