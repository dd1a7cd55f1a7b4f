import CSchedLinux
import Glibc

/// Process-level system calls: pidfd, signalling process groups, reaping.
enum ProcessControl {
    /// `pidfd_open(pid, 0)`: a close-on-exec descriptor that becomes readable when the process exits.
    /// Throws `.notImplemented` (ENOSYS) on kernels before 5.3, where callers fall back to SIGCHLD.
    static func openPidDescriptor(_ pid: ProcessID) throws(Errno) -> FileDescriptor {
        FileDescriptor(rawValue: try valueOrErrno(csl_pidfd_open(pid.rawValue)))
    }

    /// Sends `signal` to every process in the group led by `leader` (`kill(-pgid, sig)`).
    /// Throws `.noSuchProcess` once the whole group is gone.
    static func signalGroup(_ leader: ProcessID, _ signal: Signal) throws(Errno) {
        _ = try valueOrErrno(Glibc.kill(-leader.rawValue, signal.rawValue))
    }

    /// Sends `signal` to one process.
    static func signalProcess(_ pid: ProcessID, _ signal: Signal) throws(Errno) {
        _ = try valueOrErrno(Glibc.kill(pid.rawValue, signal.rawValue))
    }

    /// Reaps `pid` if it has exited, without blocking (`waitpid(pid, WNOHANG)`, retrying EINTR).
    /// Returns nil while it is still running.
    static func reapIfExited(_ pid: ProcessID) throws(Errno) -> TerminationStatus? {
        var status: Int32 = 0
        let result = try retryOnInterrupt { waitpid(pid.rawValue, &status, csl_WNOHANG()) }
        if result == 0 { return nil }
        if csl_WIFEXITED(status) != 0 { return .exited(code: csl_WEXITSTATUS(status)) }
        if csl_WIFSIGNALED(status) != 0 { return .signaled(Signal(rawValue: csl_WTERMSIG(status))) }
        return nil
    }
}
