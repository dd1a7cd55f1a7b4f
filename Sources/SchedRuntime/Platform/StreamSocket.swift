import Glibc
import SchedTime

/// Unix stream sockets for the control plane: a listening socket for the daemon, a connecting one for
/// `schedctl`, and the file operations around the socket's path.
public enum StreamSocket {
    /// A close-on-exec, non-blocking `AF_UNIX` stream socket bound to `path` and listening.
    ///
    /// Throws EADDRINUSE when `path` exists (the caller decides whether a file there is stale) and
    /// ENAMETOOLONG when `path` does not fit `sun_path` (107 bytes).
    public static func listen(at path: String, backlog: Int32 = 128) throws(Errno) -> FileDescriptor {
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let descriptor = FileDescriptor(rawValue: try valueOrErrno(socket(AF_UNIX, kind, 0)))
        do throws(Errno) {
            _ = try withUnixAddress(path) { (address, length) throws(Errno) in
                try valueOrErrno(bind(descriptor.rawValue, address, length))
            }
            _ = try valueOrErrno(Glibc.listen(descriptor.rawValue, backlog))
            return descriptor
        } catch {
            descriptor.close()
            throw error
        }
    }

    /// A close-on-exec, blocking stream socket connected to `path`. ENOENT: nothing there;
    /// ECONNREFUSED: a socket file nobody listens on (a crashed daemon's); EACCES: no permission.
    public static func connect(to path: String) throws(Errno) -> FileDescriptor {
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = FileDescriptor(rawValue: try valueOrErrno(socket(AF_UNIX, kind, 0)))
        do throws(Errno) {
            // EINTR on a blocking connect leaves it in progress; for a Unix socket it completes at once
            // or fails, so a retry only ever sees EISCONN, which means success.
            while true {
                let result = withUnixAddressNoThrow(path) { address, length in
                    Glibc.connect(descriptor.rawValue, address, length)
                }
                guard let result else { throw Errno(rawValue: ENAMETOOLONG) }
                if result == 0 { return descriptor }
                let error = Errno.current
                if error == .interrupted { continue }
                if error.rawValue == EISCONN { return descriptor }
                throw error
            }
        } catch {
            descriptor.close()
            throw error
        }
    }

    // MARK: - Paths

    /// What is at a path, for deciding whether a leftover socket file may be replaced.
    public enum PathKind: Sendable, Equatable {
        case missing
        case socket(inode: UInt64)
        case other
    }

    /// `lstat(path)` reduced to what the control server needs.
    public static func kind(of path: String) throws(Errno) -> PathKind {
        var info = stat()
        if lstat(path, &info) != 0 {
            let error = Errno.current
            if error == .noSuchFileOrDirectory { return .missing }
            throw error
        }
        return info.st_mode & S_IFMT == S_IFSOCK ? .socket(inode: UInt64(info.st_ino)) : .other
    }

    /// Removes the file at `path` (ENOENT is not an error).
    public static func removeFile(at path: String) throws(Errno) {
        if unlink(path) != 0, Errno.current != .noSuchFileOrDirectory { throw Errno.current }
    }

    /// Sets the permission bits of `path`.
    public static func setMode(_ mode: UInt32, at path: String) throws(Errno) {
        _ = try retryOnInterrupt { chmod(path, mode_t(mode)) }
    }

    /// Sets the group of `path`, keeping its owner.
    public static func setGroup(_ groupID: UInt32, at path: String) throws(Errno) {
        _ = try retryOnInterrupt { chown(path, uid_t.max, gid_t(groupID)) }
    }

    /// Creates directory `path` with `mode` unless it exists (only the last component).
    public static func makeDirectory(_ path: String, mode: UInt32) throws(Errno) {
        if mkdir(path, mode_t(mode)) != 0, Errno.current.rawValue != EEXIST { throw Errno.current }
    }

    // MARK: - Address

    /// Calls `body` with a `sockaddr_un` for `path`, or throws ENAMETOOLONG.
    private static func withUnixAddress<T>(
        _ path: String,
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws(Errno) -> T
    ) throws(Errno) -> T {
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: storage.sun_path)
        guard !pathBytes.isEmpty, pathBytes.count < capacity else { throw Errno(rawValue: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + 1)
        return try withUnsafePointer(to: &storage) { (pointer) throws(Errno) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (address) throws(Errno) in
                try body(address, length)
            }
        }
    }

    private static func withUnixAddressNoThrow<T>(
        _ path: String,
        _ body: (UnsafePointer<sockaddr>, socklen_t) -> T
    ) -> T? {
        try? withUnixAddress(path) { address, length in body(address, length) }
    }
}

extension FileDescriptor {
    /// Writes what the socket takes now without blocking (`send` with `MSG_DONTWAIT | MSG_NOSIGNAL`, so
    /// a vanished peer is EPIPE, not SIGPIPE). Returns the bytes written; throws `.wouldBlock` when none
    /// fit. EINTR is retried.
    public func sendNonBlocking(_ bytes: UnsafeRawBufferPointer) throws(Errno) -> Int {
        try retryOnInterrupt {
            send(rawValue, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL))
        }
    }

    /// Writes all of `bytes` to a blocking socket, without SIGPIPE on a vanished peer.
    public func sendAll(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        var offset = 0
        while offset < bytes.count {
            offset += try retryOnInterrupt {
                send(rawValue, bytes.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
        }
    }

    /// Shuts down the sending side: the peer reads EOF after what was sent, while this side may still
    /// read (a lingering close that does not turn unread input into a connection reset).
    public func shutdownWrite() {
        _ = shutdown(rawValue, Int32(SHUT_WR))
    }

    /// Waits until the descriptor is readable or `timeout` passes (`poll`); false on timeout.
    /// EINTR restarts the wait with the full timeout (a bounded over-wait).
    public func waitUntilReadable(timeout: Duration?) throws(Errno) -> Bool {
        let milliseconds: Int32 =
            timeout.map { Int32(clamping: max(0, $0.totalNanoseconds / 1_000_000)) } ?? -1
        var entry = pollfd(fd: rawValue, events: Int16(POLLIN), revents: 0)
        let ready = try retryOnInterrupt { poll(&entry, 1, milliseconds) }
        return ready > 0
    }
}
