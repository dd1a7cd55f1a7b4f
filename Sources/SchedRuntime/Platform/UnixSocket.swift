import CSchedLinux
import Glibc

/// Credentials of the process at the other end of a Unix socket (`SO_PEERCRED`), as the kernel recorded
/// them at `connect`/`socketpair` time: the control server uses them to authorise requests.
public struct PeerCredentials: Hashable, Sendable {
    /// The peer's pid.
    public var processID: ProcessID
    /// The peer's effective uid.
    public var userID: UInt32
    /// The peer's effective gid.
    public var groupID: UInt32
}

extension FileDescriptor {
    /// Accepts one pending connection on a listening socket, close-on-exec and non-blocking (`accept4`).
    /// Returns nil when none is pending (EAGAIN); EINTR and ECONNABORTED (the client gave up) are retried.
    public func acceptConnection() throws(Errno) -> FileDescriptor? {
        while true {
            let fd = csl_accept_cloexec(rawValue)
            if fd >= 0 { return FileDescriptor(rawValue: fd) }
            let error = Errno.current
            if error == .interrupted || error.rawValue == ECONNABORTED { continue }
            if error == .wouldBlock { return nil }
            throw error
        }
    }

    /// The connected peer's pid, uid and gid (`getsockopt(SO_PEERCRED)`).
    public func peerCredentials() throws(Errno) -> PeerCredentials {
        var pid: pid_t = 0
        var uid: uid_t = 0
        var gid: gid_t = 0
        _ = try valueOrErrno(csl_peer_credentials(rawValue, &pid, &uid, &gid))
        return PeerCredentials(processID: ProcessID(rawValue: pid), userID: uid, groupID: gid)
    }
}
