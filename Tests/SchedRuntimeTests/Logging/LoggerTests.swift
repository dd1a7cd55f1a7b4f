import SchedTime
import Testing

@testable import SchedRuntime

@Suite("Logger")
struct LoggerTests {
    /// 2026-11-28T03:00:00.123456789Z, a fixed clock.
    private static let fixedNow = Instant(nanosecondsSinceEpoch: 1_795_834_800_123_456_789)

    private func logger(_ format: LogFormat, journal: Bool = false, minimum: LogLevel = .info) -> (
        Logger, CapturingLogSink
    ) {
        let sink = CapturingLogSink()
        let logger = Logger(
            format: format,
            minimumLevel: minimum,
            journalPriorityPrefix: journal,
            sink: sink,
            clock: { Self.fixedNow }
        )
        return (logger, sink)
    }

    @Test("logfmt: one line with ts, level, event, then fields in order")
    func logfmtLine() {
        let (logger, sink) = logger(.logfmt)
        logger.info("run_started", ["job": "backup", "run": "42", "attempt": 2])
        #expect(sink.lines == ["ts=2026-11-28T03:00:00.123Z level=info event=run_started job=backup run=42 attempt=2"])
    }

    @Test(
        "logfmt quotes and escapes values that need it",
        arguments: [
            ("plain", "plain"),
            ("two words", "\"two words\""),
            ("", "\"\""),
            ("a=b", "\"a=b\""),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
            ("back\\slash", "\"back\\\\slash\""),
            ("line1\nline2", "\"line1\\nline2\""),
            ("tab\there", "\"tab\\there\""),
            ("bell\u{7}", "\"bell\\u0007\""),
            ("ünïcödé", "ünïcödé"),
        ]
    )
    func logfmtQuoting(value: String, expected: String) {
        #expect(LogEncoding.logfmtValue(value) == expected)
    }

    @Test("JSON: one object per line with typed values and escaping")
    func jsonLine() {
        let (logger, sink) = logger(.json)
        logger.warning("run_finished", ["job": "a \"b\"", "exit_code": 1, "ok": false, "signal": nil, "ratio": 0.5])
        #expect(
            sink.lines == [
                #"{"ts":"2026-11-28T03:00:00.123Z","level":"warning","event":"run_finished","job":"a \"b\"","exit_code":1,"ok":false,"signal":null,"ratio":0.5}"#
            ]
        )
    }

    @Test("JSON escapes control characters and newlines so an event stays one line")
    func jsonEscaping() {
        #expect(LogEncoding.jsonString("a\nb\u{1}\\") == #""a\nb\u0001\\""#)
    }

    @Test(
        "journald priority prefixes follow the level",
        arguments: [(LogLevel.error, "<3>"), (.warning, "<4>"), (.notice, "<5>"), (.info, "<6>"), (.debug, "<7>")]
    )
    func journalPrefix(level: LogLevel, prefix: String) {
        let (logger, sink) = logger(.logfmt, journal: true, minimum: .debug)
        logger.log(level, "x")
        #expect(sink.lines == ["\(prefix)ts=2026-11-28T03:00:00.123Z level=\(level.name) event=x"])
    }

    @Test("JOURNAL_STREAM turns priority prefixes on")
    func journalFromEnvironment() {
        #expect(Logger.standardError(environment: ["JOURNAL_STREAM": "8:12345"]).journalPriorityPrefix)
        #expect(!Logger.standardError(environment: [:]).journalPriorityPrefix)
    }

    @Test("events below the minimum level are dropped")
    func minimumLevel() {
        let (logger, sink) = logger(.logfmt, minimum: .warning)
        logger.debug("d")
        logger.info("i")
        logger.warning("w")
        logger.error("e")
        #expect(sink.lines.map { $0.split(separator: " ").last.map(String.init) } == ["event=w", "event=e"])
    }

    @Test("whole seconds are written without a fraction")
    func wholeSeconds() {
        let sink = CapturingLogSink()
        let logger = Logger(sink: sink, clock: { Instant(secondsSinceEpoch: 1_795_834_800) })
        logger.notice("started")
        #expect(sink.lines == ["ts=2026-11-28T03:00:00Z level=notice event=started"])
    }
}
