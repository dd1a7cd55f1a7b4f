#if canImport(Glibc)
    import Glibc
#endif

/// Writes `text` and a newline to standard error (file descriptor 2, unbuffered, so it is never
/// reordered after stdout in a terminal).
func printError(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.append(UInt8(ascii: "\n"))
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }
        offset += written
    }
}
