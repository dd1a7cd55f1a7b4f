/// Where formatted log lines go: one call per event, `line` without a trailing newline.
///
/// Sinks are `Sendable` and must be safe to call from any thread; the daemon's default writes to stderr
/// (journald captures it under systemd). Tests inject a capturing sink.
public protocol LogSink: Sendable {
    func write(line: String)
}

/// Writes each line plus a newline to standard error with a single `write(2)`, so lines from different
/// threads do not interleave (pipes guarantee atomicity up to 4 KiB; longer lines may interleave).
public struct StandardErrorSink: LogSink {
    public init() {}

    public func write(line: String) {
        // A failing stderr (closed, EPIPE) leaves nowhere to report to; the event is dropped.
        try? FileDescriptor.standardError.writeAll(line + "\n")
    }
}
