import CSchedLinux
import Glibc

/// An epoll instance: the event loop's single blocking point.
struct Epoll {
    /// One readiness report: the token given at registration and whether the fd is readable or hung up.
    struct ReadyEvent {
        var token: UInt64
        /// EPOLLIN, or EPOLLHUP/EPOLLERR (reported as readable so the owner reads and sees EOF or the error).
        var isReadable: Bool
        /// EPOLLOUT (only reported for registrations that asked for it), or EPOLLERR/EPOLLHUP.
        var isWritable: Bool = false
    }

    /// What a registration waits for.
    struct Interest: OptionSet {
        let rawValue: UInt32
        static let readable = Interest(rawValue: UInt32(csl_EPOLLIN()))
        static let writable = Interest(rawValue: UInt32(csl_EPOLLOUT()))
    }

    let descriptor: FileDescriptor

    init() throws(Errno) {
        descriptor = FileDescriptor(rawValue: try valueOrErrno(csl_epoll_create()))
    }

    /// Watches `fd` for readability, level-triggered, reporting `token`.
    func addReadable(_ fd: FileDescriptor, token: UInt64) throws(Errno) {
        _ = try valueOrErrno(
            csl_epoll_ctl(descriptor.rawValue, csl_EPOLL_CTL_ADD(), fd.rawValue, UInt32(csl_EPOLLIN()), token)
        )
    }

    /// Watches `fd` for `interest`, level-triggered, reporting `token`.
    func add(_ fd: FileDescriptor, interest: Interest, token: UInt64) throws(Errno) {
        _ = try valueOrErrno(
            csl_epoll_ctl(descriptor.rawValue, csl_EPOLL_CTL_ADD(), fd.rawValue, interest.rawValue, token)
        )
    }

    /// Changes what a watched `fd` waits for (an empty interest still reports errors and hang-ups).
    func modify(_ fd: FileDescriptor, interest: Interest, token: UInt64) throws(Errno) {
        _ = try valueOrErrno(
            csl_epoll_ctl(descriptor.rawValue, csl_EPOLL_CTL_MOD(), fd.rawValue, interest.rawValue, token)
        )
    }

    /// Stops watching `fd`. Closing an fd also removes it, but only once every duplicate is closed.
    func remove(_ fd: FileDescriptor) throws(Errno) {
        _ = try valueOrErrno(csl_epoll_ctl(descriptor.rawValue, csl_EPOLL_CTL_DEL(), fd.rawValue, 0, 0))
    }

    /// Waits until something is ready (`timeoutMilliseconds` -1 = forever).
    ///
    /// EINTR policy: returns an empty batch, so the caller re-checks its stop flag and timers.
    func wait(maxEvents: Int = 64, timeoutMilliseconds: Int32 = -1) throws(Errno) -> [ReadyEvent] {
        let capacity = min(maxEvents, 64)
        return try [csl_ready_event](unsafeUninitializedCapacity: capacity) { (buffer, count) throws(Errno) in
            let n = csl_epoll_wait(descriptor.rawValue, buffer.baseAddress, Int32(capacity), timeoutMilliseconds)
            if n < 0 {
                let error = Errno.current
                count = 0
                if error == .interrupted { return }
                throw error
            }
            count = Int(n)
        }.map { event in
            let readableMask = UInt32(csl_EPOLLIN() | csl_EPOLLHUP() | csl_EPOLLERR())
            let writableMask = UInt32(csl_EPOLLOUT() | csl_EPOLLHUP() | csl_EPOLLERR())
            return ReadyEvent(
                token: event.token,
                isReadable: event.events & readableMask != 0,
                isWritable: event.events & writableMask != 0
            )
        }
    }

    func close() {
        descriptor.close()
    }
}
