// Logging: one event per line on stderr, for journald and for humans.
//
// Design note
// - An event is a level, an event name and ordered fields: `ts=2026-11-28T03:00:00.123Z level=info
//   event=run_started job=backup run=42`. Formats: logfmt (default) or JSON (one object per line).
// - logfmt quoting: a value is quoted when it is empty or contains a space, `=`, `"`, a backslash or a
//   control character; inside quotes `"` and `\` are escaped with a backslash and newline, tab and carriage
//   return as `\n`, `\t`, `\r`, other control characters as `\u00XX`. So every event stays one line.
// - A null value is left out in logfmt (`key=` would read as an empty string) and written as `null` in JSON.
// - Under systemd (`$JOURNAL_STREAM` set) each line starts with the syslog priority `<3>`…`<7>`, which
//   journald strips and stores as the entry's priority.
// - Timestamps are RFC 3339 UTC with milliseconds when non-zero, from an injectable clock.

public import SchedTime

/// The output format of a `Logger`.
public enum LogFormat: String, Sendable {
    case logfmt
    case json
}

/// A small structured logger: immutable, `Sendable`, cheap to copy.
public struct Logger: Sendable {
    /// Events less severe than this are dropped.
    public var minimumLevel: LogLevel
    /// logfmt or JSON.
    public let format: LogFormat
    /// Prefix lines with `<priority>` for journald.
    public let journalPriorityPrefix: Bool
    private let sink: any LogSink
    private let clock: @Sendable () -> Instant

    /// A logger writing to `sink`, with timestamps from `clock` (inject a fixed clock in tests).
    public init(
        format: LogFormat = .logfmt,
        minimumLevel: LogLevel = .info,
        journalPriorityPrefix: Bool = false,
        sink: any LogSink = StandardErrorSink(),
        clock: @escaping @Sendable () -> Instant = { WallClock.now() }
    ) {
        self.format = format
        self.minimumLevel = minimumLevel
        self.journalPriorityPrefix = journalPriorityPrefix
        self.sink = sink
        self.clock = clock
    }

    /// A stderr logger; priority prefixes are on when `$JOURNAL_STREAM` is set (stderr goes to journald).
    public static func standardError(
        format: LogFormat = .logfmt,
        minimumLevel: LogLevel = .info,
        environment: [String: String] = ProcessEnvironment.all()
    ) -> Logger {
        let underJournal = !(environment["JOURNAL_STREAM"] ?? "").isEmpty
        return Logger(format: format, minimumLevel: minimumLevel, journalPriorityPrefix: underJournal)
    }

    // MARK: - Logging

    /// Logs `event` with `fields` (in order) at `level`.
    public func log(_ level: LogLevel, _ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        guard level <= minimumLevel else { return }
        sink.write(line: formatLine(level, event, Array(fields)))
    }

    /// Logs `event` with `fields` built at run time (optional facts left out, say).
    public func log(_ level: LogLevel, _ event: String, fields: [(key: String, value: LogValue)]) {
        guard level <= minimumLevel else { return }
        sink.write(line: formatLine(level, event, fields))
    }

    /// Shorthands for `log(_:_:_:)` at each level.
    public func error(_ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.error, event, fields)
    }

    public func warning(_ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.warning, event, fields)
    }

    public func notice(_ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.notice, event, fields)
    }

    public func info(_ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.info, event, fields)
    }

    public func debug(_ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.debug, event, fields)
    }

    // MARK: - Formatting

    /// The full line for one event (without newline): prefix, then `ts`, `level`, `event`, then `fields`.
    func formatLine(_ level: LogLevel, _ event: String, _ fields: [(key: String, value: LogValue)]) -> String {
        let now = clock()
        // Milliseconds are plenty for logs and keep lines short.
        let milliseconds = Instant(nanosecondsSinceEpoch: floorDivide(now.nanosecondsSinceEpoch, 1_000_000) * 1_000_000)
        var all: [(key: String, value: LogValue)] = [
            ("ts", .string(RFC3339.format(milliseconds))),
            ("level", .string(level.name)),
            ("event", .string(event)),
        ]
        all.append(contentsOf: fields)
        let body =
            switch format {
            case .logfmt: LogEncoding.logfmt(all)
            case .json: LogEncoding.json(all)
            }
        return journalPriorityPrefix ? "<\(level.rawValue)>" + body : body
    }
}
