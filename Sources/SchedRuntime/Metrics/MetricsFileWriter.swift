/// Writes the metrics exposition to `metrics_file` for node_exporter's textfile collector.
///
/// Each write replaces the file atomically (temporary file in the same directory, fsync, rename, fsync
/// of the directory; see `FileReplacement`), with mode 0644 whatever the umask, so a collector scraping
/// at any moment reads a complete exposition. Not rate-limited itself: the daemon decides when to write.
public struct MetricsFileWriter: Sendable {
    /// The target path (absolute, as the config loader resolved it).
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Replaces the file with `exposition`.
    ///
    /// - Throws: `Errno` when the directory is missing or not writable, the disk is full, …; the
    ///   previous file (if any) is then left untouched.
    public func write(_ exposition: String) throws(Errno) {
        try FileReplacement.replace(path, with: exposition, mode: 0o644)
    }
}
