import CSchedLinux

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
