/// Which of a job's output streams a line came from.
public enum OutputStream: String, Sendable, Hashable {
    case standardOutput = "stdout"
    case standardError = "stderr"
}

/// One line of a job's output, without its newline, handed to the daemon as soon as it is complete.
public struct OutputLine: Sendable, Hashable {
    /// The stream the line was written to.
    public var stream: OutputStream
    /// The line's text; invalid UTF-8 is repaired with U+FFFD.
    public var text: String
    /// True when the line was longer than the limit and this is only its beginning (the rest up to the
    /// next newline was dropped).
    public var isTruncated: Bool

    public init(stream: OutputStream, text: String, isTruncated: Bool) {
        self.stream = stream
        self.text = text
        self.isTruncated = isTruncated
    }
}
