import CSchedLinux
import Glibc

/// An owned or borrowed raw file descriptor, with the few operations the runtime needs.
///
/// A plain value: closing is explicit (`close()`), so ownership is documented where descriptors are
/// stored (the event loop, the process runner) rather than hidden in deinit.
public struct FileDescriptor: Hashable, Sendable {
    /// The kernel's descriptor number.
    public var rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// Standard error (fd 2), where the logger writes.
    public static let standardError = FileDescriptor(rawValue: 2)

    // MARK: - Opening and closing

    /// Opens `path` read-only, close-on-exec (used for `/dev/null` as a job's stdin).
    public static func openForReading(_ path: String) throws(Errno) -> FileDescriptor {
        let fd = try retryOnInterrupt { open(path, O_RDONLY | O_CLOEXEC) }
        return FileDescriptor(rawValue: fd)
    }

    /// A close-on-exec, blocking pipe; call `setNonBlocking` on the end the event loop reads.
    public static func makePipe() throws(Errno) -> (read: FileDescriptor, write: FileDescriptor) {
        var fds: [Int32] = [-1, -1]
        _ = try valueOrErrno(csl_pipe_cloexec(&fds, 0))
        return (FileDescriptor(rawValue: fds[0]), FileDescriptor(rawValue: fds[1]))
    }

    /// Closes the descriptor. EINTR is *not* retried: on Linux the descriptor is released even then, and
    /// a retry could close a descriptor another thread just received.
    public func close() {
        _ = Glibc.close(rawValue)
    }

    // MARK: - I/O

    /// Reads at most `buffer.count` bytes, retrying on EINTR. Returns 0 at end of file; throws
    /// `.wouldBlock` when a non-blocking descriptor has nothing.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        try retryOnInterrupt { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Writes all of `bytes`, retrying on EINTR and short writes (for blocking descriptors).
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        var offset = 0
        while offset < bytes.count {
            let written = try retryOnInterrupt {
                Glibc.write(rawValue, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            offset += written
        }
    }

    /// Writes all of `text`'s UTF-8 bytes.
    public func writeAll(_ text: String) throws(Errno) {
        var text = text
        // `withUTF8` rethrows untyped errors, so the typed error is carried out by hand.
        var failure: Errno?
        text.withUTF8 { bytes in
            do throws(Errno) {
                try writeAll(UnsafeRawBufferPointer(bytes))
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Sets `O_NONBLOCK` (the event loop's read ends) while keeping the other status flags.
    public func setNonBlocking() throws(Errno) {
        let flags = try valueOrErrno(fcntl(rawValue, F_GETFL))
        _ = try valueOrErrno(fcntl(rawValue, F_SETFL, flags | O_NONBLOCK))
    }
}
