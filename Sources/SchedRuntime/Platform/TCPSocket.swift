import CSchedLinux
import Glibc

/// Listening TCP sockets (the metrics listener) and the non-blocking send its connections use.
enum TCPSocket {
    /// Creates a close-on-exec, non-blocking TCP socket bound to the numeric `host` and `port` (0: any
    /// free port) and listening; returns it with the port actually bound.
    ///
    /// `SO_REUSEADDR` lets a restarted daemon bind while old connections sit in TIME_WAIT. An IPv6 socket
    /// is `IPV6_V6ONLY`, so `[::]` means IPv6 only and never silently takes over IPv4 as well.
    static func listen(host: String, port: UInt16, ipv6: Bool, backlog: Int32 = 64) throws(Errno) -> (
        descriptor: FileDescriptor, port: UInt16
    ) {
        let family = ipv6 ? AF_INET6 : AF_INET
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let fd = try valueOrErrno(socket(family, type, 0))
        do throws(Errno) {
            var one: Int32 = 1
            _ = try valueOrErrno(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)))
            if ipv6 {
                _ = try valueOrErrno(
                    setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
                )
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                address.sin6_port = port.bigEndian
                guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { throw Errno(rawValue: EINVAL) }
                _ = try valueOrErrno(
                    withUnsafeBytes(of: &address) {
                        bind(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count))
                    }
                )
            } else {
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = port.bigEndian
                guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw Errno(rawValue: EINVAL) }
                _ = try valueOrErrno(
                    withUnsafeBytes(of: &address) {
                        bind(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count))
                    }
                )
            }
            _ = try valueOrErrno(Glibc.listen(fd, backlog))
            return (FileDescriptor(rawValue: fd), try boundPort(fd))
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// The local port of a bound socket (`getsockname`); the port lives at the same offset for both families.
    private static func boundPort(_ fd: Int32) throws(Errno) -> UInt16 {
        var storage = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        _ = try valueOrErrno(
            withUnsafeMutableBytes(of: &storage) {
                getsockname(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
            }
        )
        return UInt16(bigEndian: storage.sin6_port)
    }
}

extension FileDescriptor {
    /// Sends what the socket buffer takes now (`MSG_NOSIGNAL`: a vanished peer is EPIPE, never SIGPIPE).
    /// Returns the count sent; throws `.wouldBlock` when the buffer is full. EINTR is retried.
    func sendSome(_ bytes: UnsafeRawBufferPointer) throws(Errno) -> Int {
        try retryOnInterrupt { send(rawValue, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Half-closes the sending side (`shutdown(SHUT_WR)`): the peer reads EOF after the data sent.
    func shutdownSending() {
        _ = shutdown(rawValue, Int32(SHUT_WR))
    }
}

/// A private epoll set that reports sockets ready for writing; its own descriptor is readable whenever
/// one of them is, so the event loop can watch it like any other descriptor (nested epoll). This keeps
/// write readiness out of `EventLoop`, which only needs readability everywhere else.
final class WriteReadiness {
    /// `EPOLLOUT`; the C macro is not visible through CSchedLinux's wrappers (value fixed by the Linux ABI).
    private static let epollOut: UInt32 = 0x004

    let descriptor: FileDescriptor

    init() throws(Errno) {
        descriptor = FileDescriptor(rawValue: try valueOrErrno(csl_epoll_create()))
    }

    deinit {
        descriptor.close()
    }

    /// Reports `fd` with `token` while it is writable (level-triggered) until `unwatch`.
    func watch(_ fd: FileDescriptor, token: UInt64) throws(Errno) {
        _ = try valueOrErrno(csl_epoll_ctl(descriptor.rawValue, csl_EPOLL_CTL_ADD(), fd.rawValue, Self.epollOut, token))
    }

    func unwatch(_ fd: FileDescriptor) {
        _ = csl_epoll_ctl(descriptor.rawValue, csl_EPOLL_CTL_DEL(), fd.rawValue, 0, 0)
    }

    /// Tokens of sockets writable now (or in error, which the next send reports); never blocks.
    func ready() -> [UInt64] {
        var events = [csl_ready_event](repeating: csl_ready_event(events: 0, token: 0), count: 64)
        let count = csl_epoll_wait(descriptor.rawValue, &events, Int32(events.count), 0)
        return count > 0 ? events[..<Int(count)].map(\.token) : []
    }
}
