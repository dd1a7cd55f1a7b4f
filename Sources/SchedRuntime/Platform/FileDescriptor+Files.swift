import Glibc

// Regular-file calls the state store needs: open for writing, positioned I/O, size, truncate and
// the two flavours of sync. EINTR policy: every call here returns promptly and is retried.

extension FileDescriptor {
    /// Opens (and with `create`, creates with `mode`) `path` for reading and writing, close-on-exec.
    public static func openForUpdate(_ path: String, create: Bool, mode: UInt32 = 0o600) throws(Errno)
        -> FileDescriptor
    {
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        let fd = try retryOnInterrupt { open(path, flags, mode_t(mode)) }
        return FileDescriptor(rawValue: fd)
    }

    /// Creates `path` for writing, truncating any old content (for a temporary file that will be
    /// renamed into place).
    public static func createTruncating(_ path: String, mode: UInt32 = 0o600) throws(Errno) -> FileDescriptor {
        let fd = try retryOnInterrupt { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode)) }
        return FileDescriptor(rawValue: fd)
    }

    /// The file's size in bytes (`fstat`).
    public func size() throws(Errno) -> Int {
        var info = stat()
        _ = try valueOrErrno(fstat(rawValue, &info))
        return Int(info.st_size)
    }

    /// Reads the whole file from offset 0 (`pread` until end of file).
    public func readAll() throws(Errno) -> [UInt8] {
        let expected = try size()
        var bytes = [UInt8](repeating: 0, count: expected)
        var failure: Errno?
        let total = bytes.withUnsafeMutableBytes { buffer -> Int in
            var offset = 0
            while offset < buffer.count {
                let count = pread(rawValue, buffer.baseAddress! + offset, buffer.count - offset, off_t(offset))
                if count > 0 {
                    offset += count
                } else if count == 0 {
                    break
                } else if errno != EINTR {
                    failure = Errno.current
                    break
                }
            }
            return offset
        }
        if let failure { throw failure }
        if total < bytes.count { bytes.removeSubrange(total...) }
        return bytes
    }

    /// Writes all of `bytes` at `offset` (`pwrite`, retrying short writes).
    public func writeAll(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(Errno) {
        var written = 0
        while written < bytes.count {
            let count = try retryOnInterrupt {
                pwrite(rawValue, bytes.baseAddress! + written, bytes.count - written, off_t(offset + written))
            }
            written += count
        }
    }

    /// Writes all of `bytes` at `offset`.
    public func writeAll(_ bytes: [UInt8], at offset: Int) throws(Errno) {
        var failure: Errno?
        bytes.withUnsafeBytes { buffer in
            do throws(Errno) {
                try writeAll(buffer, at: offset)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Sets the file's length (`ftruncate`).
    public func truncate(to length: Int) throws(Errno) {
        _ = try retryOnInterrupt { ftruncate(rawValue, off_t(length)) }
    }

    /// Flushes data and metadata to the disk (`fsync`).
    public func sync() throws(Errno) {
        _ = try retryOnInterrupt { fsync(rawValue) }
    }

    /// Flushes data, and metadata only where needed to read it back, such as the length
    /// (`fdatasync`): the cheaper sync for appending to a file.
    public func syncData() throws(Errno) {
        _ = try retryOnInterrupt { fdatasync(rawValue) }
    }
}
