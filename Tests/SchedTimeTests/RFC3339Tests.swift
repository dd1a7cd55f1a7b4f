import Testing

@testable import SchedTime

@Suite struct RFC3339Tests {
    @Test(
        "formats UTC with Z and a trimmed fraction only when non-zero",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00Z"),
            (1_795_834_800_000_000_000, "2026-11-28T03:00:00Z"),
            (1_795_834_800_500_000_000, "2026-11-28T03:00:00.5Z"),
            (1_795_834_800_000_000_123, "2026-11-28T03:00:00.000000123Z"),
            (-1_000_000_000, "1969-12-31T23:59:59Z"),
            (-1, "1969-12-31T23:59:59.999999999Z"),
            (951_782_400_000_000_000, "2000-02-29T00:00:00Z"),
        ]
    )
    func formatsUTC(nanoseconds: Int64, expected: String) {
        #expect(RFC3339.format(Instant(nanosecondsSinceEpoch: nanoseconds)) == expected)
    }

    @Test("formats the reading at an offset")
    func formatsWithOffset() {
        let instant = Instant(secondsSinceEpoch: 1_772_953_200)  // 2026-03-08T07:00:00Z
        #expect(RFC3339.format(instant, offset: UTCOffset(seconds: -4 * 3600)) == "2026-03-08T03:00:00-04:00")
        #expect(RFC3339.format(instant, offset: UTCOffset(seconds: 19_800)) == "2026-03-08T12:30:00+05:30")
        #expect(RFC3339.format(instant, offset: .zero) == "2026-03-08T07:00:00+00:00")
    }

    @Test(
        "parses Z, offsets, separators and fractions",
        arguments: [
            ("2026-11-28T03:00:00Z", Int64(1_795_834_800_000_000_000)),
            ("2026-11-28t03:00:00z", 1_795_834_800_000_000_000),
            ("2026-11-28 03:00:00Z", 1_795_834_800_000_000_000),
            ("2026-11-28T04:00:00+01:00", 1_795_834_800_000_000_000),
            ("2026-11-27T22:30:00-04:30", 1_795_834_800_000_000_000),
            ("2026-11-28T03:00:00.5Z", 1_795_834_800_500_000_000),
            ("2026-11-28T03:00:00.123456789123Z", 1_795_834_800_123_456_789),
            ("1969-12-31T23:59:59.999999999Z", -1),
            ("2024-02-29T00:00:00Z", 1_709_164_800_000_000_000),
        ]
    )
    func parses(text: String, nanoseconds: Int64) {
        #expect(RFC3339.parse(text) == Instant(nanosecondsSinceEpoch: nanoseconds))
    }

    @Test(
        "rejects malformed or out-of-range text",
        arguments: [
            "", "2026-11-28", "2026-11-28T03:00:00", "2026-11-28T03:00Z", "2026-02-30T00:00:00Z",
            "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-11-00T00:00:00Z",
            "2026-11-28T24:00:00Z", "2026-11-28T23:60:00Z", "2026-11-28T23:59:60Z", "2026-11-28T03:00:00.Z",
            "2026-11-28T03:00:00+0100", "2026-11-28T03:00:00+24:00", "2026-11-28T03:00:00+01:60",
            "2026-11-28T03:00:00Zjunk", "2026-11-28X03:00:00Z", "26-11-28T03:00:00Z", "9999-12-31T23:59:59Z",
            "2026-11-28T03:00:00 Z",
        ]
    )
    func rejects(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test(
        "format then parse is the identity",
        arguments: [Int64(0), 1, -1, 1_795_834_800_000_000_000, 4_102_444_799_999_999_999]
    )
    func roundTrips(nanoseconds: Int64) {
        let instant = Instant(nanosecondsSinceEpoch: nanoseconds)
        #expect(RFC3339.parse(RFC3339.format(instant)) == instant)
        let offset = UTCOffset(seconds: -(9 * 3600 + 30 * 60))
        #expect(RFC3339.parse(RFC3339.format(instant, offset: offset)) == instant)
        #expect(RFC3339.parseWithOffset(RFC3339.format(instant, offset: offset))?.offset == offset)
    }
}
