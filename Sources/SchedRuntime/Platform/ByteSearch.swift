import Glibc

/// Byte scanning through libc's vectorised `memchr`, for splitting job output into lines.
enum ByteSearch {
    /// The offset of the first `byte` in `buffer`, or nil.
    static func firstIndex(of byte: UInt8, in buffer: UnsafeRawBufferPointer) -> Int? {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return nil }
        guard let found = memchr(base, Int32(byte), buffer.count) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }
}
