/// Severity of a log event, numbered like syslog priorities (lower is more severe).
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    /// Priority 3: something failed (a run could not start, a reload failed).
    case error = 3
    /// Priority 4: suspicious but handled (a missed run, a job killed after its grace period).
    case warning = 4
    /// Priority 5: normal but significant (start, stop, reload).
    case notice = 5
    /// Priority 6: routine events (run started, run finished, job output).
    case info = 6
    /// Priority 7: detail for debugging.
    case debug = 7

    /// The name written in the `level` field.
    public var name: String {
        switch self {
        case .error: "error"
        case .warning: "warning"
        case .notice: "notice"
        case .info: "info"
        case .debug: "debug"
        }
    }

    /// More severe sorts first: `.error < .debug`.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
