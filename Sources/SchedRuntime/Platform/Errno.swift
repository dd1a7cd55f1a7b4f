// Platform: the only files in SchedRuntime that touch Glibc or CSchedLinux.
//
// Design note
// - One small Swift function per system call, returning a value or throwing `Errno` (typed throws), in the
//   style of swift-system's `Internals/Syscalls.swift`.
// - EINTR policy, stated per call: calls that cannot lose data or block for long retry on EINTR
//   (`retryOnInterrupt`); `epoll_wait` returns an empty batch instead so the loop re-evaluates its state.
// - Every descriptor is created close-on-exec; non-blocking where the event loop reads it.

import CSchedLinux
import Glibc

/// A C `errno` value, thrown by the platform wrappers.
///
/// Named constants carry the C spelling in their doc comment, as swift-system's `Errno` does.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    /// The raw C value.
    public var rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The calling thread's current `errno`.
    public static var current: Errno {
        Errno(rawValue: errno)
    }

    /// The system's message, e.g. "No such file or directory" (thread-safe `strerror_r`).
    public var description: String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            guard let base = buffer.baseAddress else { return "errno \(rawValue)" }
            csl_strerror(rawValue, base, buffer.count)
            return String(cString: base)
        }
    }

    /// `EINTR`: a signal interrupted the call.
    public static let interrupted = Errno(rawValue: EINTR)
    /// `EAGAIN`: nothing to read or no room to write right now.
    public static let wouldBlock = Errno(rawValue: EAGAIN)
    /// `ENOENT`: no such file or directory.
    public static let noSuchFileOrDirectory = Errno(rawValue: ENOENT)
    /// `ECANCELED`: a `TFD_TIMER_CANCEL_ON_SET` timer saw the realtime clock being set.
    public static let canceled = Errno(rawValue: ECANCELED)
    /// `ESRCH`: no such process (or process group).
    public static let noSuchProcess = Errno(rawValue: ESRCH)
    /// `ECHILD`: no child to wait for.
    public static let noChildProcess = Errno(rawValue: ECHILD)
    /// `ENOSYS`: the kernel lacks this system call.
    public static let notImplemented = Errno(rawValue: ENOSYS)
    /// `EACCES`: permission denied.
    public static let permissionDenied = Errno(rawValue: EACCES)
    /// `ECONNREFUSED`: nobody is listening on the socket.
    public static let connectionRefused = Errno(rawValue: ECONNREFUSED)
}

// MARK: - Call helpers

/// Returns `result`, or throws the current errno when it is -1.
@inline(__always)
func valueOrErrno<T: FixedWidthInteger>(_ result: T) throws(Errno) -> T {
    if result == -1 { throw Errno.current }
    return result
}

/// Repeats `call` while it fails with EINTR: for calls that return promptly and lose nothing on retry.
@inline(__always)
func retryOnInterrupt<T: FixedWidthInteger>(_ call: () -> T) throws(Errno) -> T {
    while true {
        let result = call()
        if result != -1 { return result }
        let error = Errno.current
        if error != .interrupted { throw error }
    }
}
