import Testing

@testable import SchedTime

/// Hand-checked gaps and folds in real zones, written as local readings and UTC instants.
///
/// Every fixture was checked against `zdump -v` on tzdata 2026f. Future dates appear only in zones
/// whose rules have long been stable (EU, US, Australia, New Zealand, India); politically volatile
/// zones (Havana, Santiago, Nuuk, Tehran, Casablanca) use past transitions, which tzdata updates
/// rarely touch, so a new tzdata release does not break these tests.
@Suite struct ZoneResolveTests {
    static func reading(_ text: String) -> CivilDateTime {
        // `text` is `YYYY-MM-DDTHH:MM[:SS]`: parse it as if UTC, then take the UTC reading.
        let full = text.count == 16 ? text + ":00Z" : text + "Z"
        guard let instant = RFC3339.parse(full) else { return CivilDateTime(year: 0, month: 0, day: 0) }
        return CivilDateTime(localSecondsSinceEpoch: instant.secondsSinceEpoch)
    }

    static func instant(_ text: String) -> Instant {
        RFC3339.parse(text) ?? Instant(nanosecondsSinceEpoch: 0)
    }

    /// (zone, local reading, expected instants: one for unique, two for repeated)
    static let existing: [(String, String, [String])] = [
        ("Europe/Berlin", "2026-07-01T12:00", ["2026-07-01T10:00:00Z"]),
        ("Europe/Berlin", "2026-10-25T02:30", ["2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"]),
        ("Europe/Berlin", "2026-10-25T02:00", ["2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z"]),
        ("Europe/Berlin", "2026-10-25T03:00", ["2026-10-25T02:00:00Z"]),
        ("Europe/Berlin", "2026-03-29T03:00", ["2026-03-29T01:00:00Z"]),
        ("Europe/Berlin", "2026-03-29T01:59:59", ["2026-03-29T00:59:59Z"]),
        ("America/New_York", "2026-11-01T01:30", ["2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"]),
        ("Australia/Lord_Howe", "2026-04-05T01:45", ["2026-04-04T14:45:00Z", "2026-04-04T15:15:00Z"]),
        // Santiago falls back at midnight: 24:00 becomes 23:00, so 23:xx repeats.
        ("America/Santiago", "2024-04-06T23:30", ["2024-04-07T02:30:00Z", "2024-04-07T03:30:00Z"]),
        // Havana falls back at 01:00 to 00:00, so the first hour of the day repeats.
        ("America/Havana", "2024-11-03T00:30", ["2024-11-03T04:30:00Z", "2024-11-03T05:30:00Z"]),
        ("America/Havana", "2024-11-03T00:00", ["2024-11-03T04:00:00Z", "2024-11-03T05:00:00Z"]),
        ("Europe/Dublin", "2026-10-25T01:30", ["2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"]),
        ("Europe/Dublin", "2026-01-15T12:00", ["2026-01-15T12:00:00Z"]),
        ("America/Nuuk", "2024-10-26T23:30", ["2024-10-27T00:30:00Z", "2024-10-27T01:30:00Z"]),
        ("Pacific/Apia", "2011-12-29T23:59:59", ["2011-12-30T09:59:59Z"]),
        ("Pacific/Apia", "2011-12-31T00:00", ["2011-12-30T10:00:00Z"]),
        ("Pacific/Chatham", "2026-01-15T12:00", ["2026-01-14T22:15:00Z"]),
        ("Asia/Kolkata", "2026-03-29T02:30", ["2026-03-28T21:00:00Z"]),
        ("Asia/Tehran", "2020-06-01T12:00", ["2020-06-01T07:30:00Z"]),
        ("Asia/Tehran", "2020-09-20T23:30", ["2020-09-20T19:00:00Z", "2020-09-20T20:00:00Z"]),
        // Casablanca's "DST" is negative: +01 drops to +00 for Ramadan.
        ("Africa/Casablanca", "2024-03-10T02:30", ["2024-03-10T01:30:00Z", "2024-03-10T02:30:00Z"]),
    ]

    @Test("readings that exist resolve to their instants", arguments: existing)
    func resolvesExisting(zoneName: String, local: String, expected: [String]) throws {
        let zone = try Zone.named(zoneName)
        let instants = expected.map(Self.instant)
        switch zone.resolve(Self.reading(local)) {
        case .unique(let instant):
            #expect([instant] == instants)
        case .repeated(let first, let second):
            #expect([first, second] == instants)
        case .skipped(let transition):
            Issue.record("\(zoneName) \(local) reported skipped by \(transition)")
        }
        for instant in instants {
            #expect(zone.localTime(at: instant) == Self.reading(local))
        }
    }

    /// (zone, skipped reading, gap end instant, offset before, offset after)
    static let skipped: [(String, String, String, Int32, Int32)] = [
        ("Europe/Berlin", "2026-03-29T02:30", "2026-03-29T01:00:00Z", 3600, 7200),
        ("Europe/Berlin", "2026-03-29T02:00", "2026-03-29T01:00:00Z", 3600, 7200),
        ("Europe/Berlin", "2026-03-29T02:59:59", "2026-03-29T01:00:00Z", 3600, 7200),
        ("America/New_York", "2026-03-08T02:30", "2026-03-08T07:00:00Z", -18_000, -14_400),
        ("Australia/Lord_Howe", "2026-10-04T02:15", "2026-10-03T15:30:00Z", 37_800, 39_600),
        ("America/Santiago", "2024-09-08T00:30", "2024-09-08T04:00:00Z", -14_400, -10_800),
        ("America/Santiago", "2024-09-08T00:00", "2024-09-08T04:00:00Z", -14_400, -10_800),
        ("America/Havana", "2024-03-10T00:30", "2024-03-10T05:00:00Z", -18_000, -14_400),
        ("America/Havana", "2024-03-10T00:00", "2024-03-10T05:00:00Z", -18_000, -14_400),
        ("Asia/Tehran", "2020-03-21T00:30", "2020-03-20T20:30:00Z", 12_600, 16_200),
        ("Africa/Casablanca", "2024-04-14T02:30", "2024-04-14T02:00:00Z", 0, 3600),
        ("Europe/Dublin", "2026-03-29T01:30", "2026-03-29T01:00:00Z", 0, 3600),
        ("America/Nuuk", "2024-03-30T23:30", "2024-03-31T01:00:00Z", -7200, -3600),
        ("Pacific/Apia", "2011-12-30T00:00", "2011-12-30T10:00:00Z", -36_000, 50_400),
        ("Pacific/Apia", "2011-12-30T12:00", "2011-12-30T10:00:00Z", -36_000, 50_400),
        ("Pacific/Apia", "2011-12-30T23:59:59", "2011-12-30T10:00:00Z", -36_000, 50_400),
        ("Pacific/Chatham", "2026-09-27T03:00", "2026-09-26T14:00:00Z", 45_900, 49_500),
    ]

    @Test("readings in a gap report the transition that skips them", arguments: skipped)
    func resolvesSkipped(zoneName: String, local: String, gapEnd: String, before: Int32, after: Int32) throws {
        let zone = try Zone.named(zoneName)
        let expected = ZoneTransition(
            instant: Self.instant(gapEnd),
            offsetBefore: UTCOffset(seconds: before),
            offsetAfter: UTCOffset(seconds: after)
        )
        #expect(zone.resolve(Self.reading(local)) == .skipped(expected))
        #expect(expected.isGap)
    }

    @Test("a transition knows the span of readings it skips or repeats")
    func transitionSpans() throws {
        let zone = try Zone.named("Europe/Berlin")
        let spring = try #require(zone.nextTransition(after: Self.instant("2026-03-01T00:00:00Z")))
        #expect(spring.isGap && !spring.isFold)
        #expect(spring.localStart == Self.reading("2026-03-29T02:00"))
        #expect(spring.localEnd == Self.reading("2026-03-29T03:00"))
        let autumn = try #require(zone.nextTransition(after: spring.instant))
        #expect(autumn.isFold && !autumn.isGap)
        #expect(autumn.localStart == Self.reading("2026-10-25T02:00"))
        #expect(autumn.localEnd == Self.reading("2026-10-25T03:00"))
        #expect(UTCOffset(hours: -3, minutes: -30).seconds == -12_600)
    }

    @Test("nanoseconds survive resolution")
    func nanoseconds() throws {
        let zone = try Zone.named("Europe/Berlin")
        var local = Self.reading("2026-10-25T02:59:59")
        local.nanosecond = 999_999_999
        let first = Self.instant("2026-10-25T00:59:59.999999999Z")
        let second = Self.instant("2026-10-25T01:59:59.999999999Z")
        #expect(zone.resolve(local) == .repeated(first: first, second: second))
        #expect(zone.localTime(at: second) == local)
    }

    @Test("transitions are found from either side in O(log n) lookups")
    func transitions() throws {
        let zone = try Zone.named("Europe/Berlin")
        let spring = ZoneTransition(
            instant: Self.instant("2026-03-29T01:00:00Z"),
            offsetBefore: UTCOffset(seconds: 3600),
            offsetAfter: UTCOffset(seconds: 7200)
        )
        #expect(zone.nextTransition(after: Self.instant("2026-01-01T00:00:00Z")) == spring)
        #expect(zone.nextTransition(after: Self.instant("2026-03-29T00:59:59.5Z")) == spring)
        #expect(zone.nextTransition(after: spring.instant)?.instant == Self.instant("2026-10-25T01:00:00Z"))
        #expect(zone.previousTransition(atOrBefore: spring.instant) == spring)
        #expect(zone.previousTransition(atOrBefore: Self.instant("2026-06-01T00:00:00Z")) == spring)
        #expect(zone.previousTransition(atOrBefore: spring.instant - .nanoseconds(1))?.isFold == true)
        // The footer keeps producing transitions far beyond the file's explicit table.
        #expect(
            zone.nextTransition(after: Self.instant("2250-05-01T00:00:00Z"))?.instant
                == Self.instant("2250-10-27T01:00:00Z")
        )
        #expect(zone.offset(at: Self.instant("2262-01-01T00:00:00Z")) == UTCOffset(seconds: 3600))
    }

    @Test("zones without future changes have no next transition")
    func noFutureTransitions() throws {
        // Only zones whose rules have not changed in decades: no release is likely to add one.
        for name in ["Asia/Kolkata", "Asia/Tokyo", "UTC", "+05:30"] {
            let zone = try Zone.named(name)
            #expect(zone.nextTransition(after: Self.instant("2026-01-01T00:00:00Z")) == nil, "\(name)")
        }
        #expect(try Zone.named("Asia/Kolkata").offset(at: Self.instant("2030-01-01T00:00:00Z")).seconds == 19_800)
        #expect(try Zone.named("Asia/Tokyo").offset(at: Self.instant("2030-06-01T00:00:00Z")).seconds == 32_400)
    }

    @Test("a zone that abolished DST keeps its last transition and standard offset")
    func abolishedDST() throws {
        // Iran's last switch was back to +03:30 in September 2022; only past instants are pinned,
        // since Iran may well bring DST back.
        let zone = try Zone.named("Asia/Tehran")
        let last = ZoneTransition(
            instant: Self.instant("2022-09-21T19:30:00Z"),
            offsetBefore: UTCOffset(hours: 4, minutes: 30),
            offsetAfter: UTCOffset(hours: 3, minutes: 30)
        )
        #expect(zone.previousTransition(atOrBefore: Self.instant("2025-07-01T00:00:00Z")) == last)
        #expect(zone.offset(at: Self.instant("2025-07-01T00:00:00Z")) == UTCOffset(hours: 3, minutes: 30))
        #expect(zone.offset(at: Self.instant("2022-07-01T00:00:00Z")) == UTCOffset(hours: 4, minutes: 30))
    }

    @Test("Dublin's summer offset is its standard one, winter is GMT")
    func dublin() throws {
        let zone = try Zone.named("Europe/Dublin")
        #expect(zone.offset(at: Self.instant("2040-07-01T00:00:00Z")) == UTCOffset(seconds: 3600))
        #expect(zone.offset(at: Self.instant("2040-01-01T00:00:00Z")) == .zero)
    }

    @Test("Apia's 30 December 2011 never happened")
    func apiaSkippedDay() throws {
        let zone = try Zone.named("Pacific/Apia")
        let before = Self.instant("2011-12-30T09:59:59Z")
        let after = Self.instant("2011-12-30T10:00:00Z")
        #expect(zone.localTime(at: before) == Self.reading("2011-12-29T23:59:59"))
        #expect(zone.localTime(at: after) == Self.reading("2011-12-31T00:00:00"))
        #expect(zone.nextTransition(after: before)?.instant == after)
    }

    @Test("readings far outside Instant's range clamp instead of trapping")
    func clamping() {
        let zone = Zone.fixed(UTCOffset(seconds: 3600))
        #expect(
            zone.resolve(CivilDateTime(year: 9999, month: 1, day: 1))
                == .unique(Instant(nanosecondsSinceEpoch: Int64.max))
        )
        #expect(
            zone.resolve(CivilDateTime(year: 1000, month: 1, day: 1))
                == .unique(Instant(nanosecondsSinceEpoch: Int64.min))
        )
    }
}
