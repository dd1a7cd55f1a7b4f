import Testing

@testable import SchedTime

@Suite struct DurationTextTests {
    static let parseCases: [(String, Duration)] = [
        ("250ms", Duration.milliseconds(250)),
        ("90s", .seconds(90)),
        ("5m", .seconds(300)),
        ("1h30m", .seconds(5400)),
        ("2d", .seconds(172_800)),
        ("1w", .seconds(604_800)),
        ("1w2d3h4m5s6ms", .seconds(788_645) + .milliseconds(6)),
        ("0s", .zero),
        ("000010s", .seconds(10)),
        ("7us", .microseconds(7)),
        ("9ns", .nanoseconds(9)),
        ("36h", .seconds(129_600)),
    ]

    @Test("reads units alone and combined in descending order", arguments: parseCases)
    func parses(text: String, expected: Duration) throws {
        #expect(try DurationText.parse(text) == expected)
    }

    @Test(
        "rejects malformed text with a message and column",
        arguments: [
            ("", "empty duration", 1),
            ("90", "a duration needs a unit, as in \"90s\" or \"90m\"", 3),
            ("5x", "unknown unit 'x'", 2),
            ("1h5", "a duration needs a unit", 4),
            ("30m1h", "units must go from largest to smallest", 5),
            ("1m1m", "unit 'm' appears twice", 4),
            ("1.5h", "fractions are not supported", 2),
            ("h", "expected a number before 'h'", 1),
            ("-5s", "unexpected character '-'", 1),
            ("1h 30m", "unexpected character ' '", 3),
            ("99999999999999999999s", "duration is too long", 1),
            ("1h300000w", "units must go from largest", 9),
            ("300000w", "duration is too long", 1),
        ]
    )
    func rejects(text: String, messagePrefix: String, column: Int) {
        let error = #expect(throws: DurationParseError.self) { try DurationText.parse(text) }
        #expect(error?.message.hasPrefix(messagePrefix) == true, "message was: \(error?.message ?? "none")")
        #expect(error?.column == column)
    }

    @Test(
        "formats the canonical shortest text",
        arguments: [
            (Duration.zero, "0s"),
            (.milliseconds(250), "250ms"),
            (.seconds(90), "1m30s"),
            (.seconds(5400), "1h30m"),
            (.seconds(86_400), "1d"),
            (.seconds(604_800 + 3600), "1w1h"),
            (.milliseconds(1500), "1s500ms"),
            (.nanoseconds(1_001_001), "1ms1us1ns"),
            (.seconds(-90), "-1m30s"),
        ]
    )
    func formats(duration: Duration, expected: String) {
        #expect(DurationText.format(duration) == expected)
    }

    @Test("format then parse is the identity", arguments: [0, 1, 999, 1_000_000, 59_999_999_999, 86_400_000_000_123])
    func roundTrips(nanoseconds: Int64) throws {
        let duration = Duration.nanoseconds(nanoseconds)
        #expect(try DurationText.parse(DurationText.format(duration)) == duration)
    }

    @Test("parse then format is a fixed point for canonical text")
    func canonicalFixedPoint() throws {
        for text in ["1h30m", "2d", "1w1d1h1m1s1ms", "250ms", "0s"] {
            #expect(DurationText.format(try DurationText.parse(text)) == text)
        }
        #expect(DurationText.format(try DurationText.parse("90m")) == "1h30m")
    }
}
