import Foundation
import Testing

@testable import SchedTime

/// Cross-checks the TZif reader against Foundation's `TimeZone` over 1970–2100.
///
/// Foundation is only an independent oracle here (tests may import it; the library may not). On
/// Linux both may read the same tzdata, which is fine: the point is the decoding, the footer
/// expansion and the lookups, not the data.
///
/// Foundation on Linux answers from its own ICU copy of tzdata, while `Zone` follows the system's
/// files, so the suite runs only when both are the same release (`TZdataVersions`); the zones
/// whose rules changed in between would otherwise disagree for reasons that are not ours.
/// `ZoneZdumpTests` checks the same zones against glibc's `zdump` on the system data every time.
@Suite(.enabled(if: TZdataVersions.agree, TZdataVersions.mismatchComment))
struct ZoneFoundationTests {
    static let zones = [
        "Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "America/Santiago",
        "America/Havana", "Pacific/Apia", "Pacific/Chatham", "Asia/Tehran", "Europe/Dublin", "Asia/Kolkata",
        "America/Nuuk", "America/Godthab", "Europe/London", "America/St_Johns", "Australia/Sydney",
        "Asia/Kathmandu", "Antarctica/Troll", "Africa/Casablanca", "Pacific/Kiritimati", "America/Los_Angeles",
        "Asia/Jerusalem", "Europe/Moscow", "America/Asuncion",
    ]

    static let start: Int64 = 0  // 1970-01-01T00:00:00Z
    static let end: Int64 = 4_102_444_800  // 2100-01-01T00:00:00Z

    static func foundationOffset(_ zone: TimeZone, _ seconds: Int64) -> Int32 {
        Int32(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
    }

    @Test("offsets match Foundation at sampled instants from 1970 to 2100", arguments: zones)
    func offsetsMatch(name: String) throws {
        let zone = try Zone.named(name)
        let reference = try #require(TimeZone(identifier: name))
        var mismatches: [String] = []
        // An odd stride walks through every time of day and weekday.
        var seconds = Self.start
        while seconds < Self.end {
            let ours = zone.offset(at: Instant(secondsSinceEpoch: seconds)).seconds
            let theirs = Self.foundationOffset(reference, seconds)
            if ours != theirs {
                mismatches.append("\(RFC3339.format(Instant(secondsSinceEpoch: seconds))): \(ours) vs \(theirs)")
            }
            seconds += 5 * 86_400 + 7 * 3600 + 13 * 60 + 17
        }
        #expect(mismatches.isEmpty, "\(name): \(mismatches.prefix(5))")
    }

    @Test("transitions match Foundation's from 1970 to 2100", arguments: zones)
    func transitionsMatch(name: String) throws {
        let zone = try Zone.named(name)
        let reference = try #require(TimeZone(identifier: name))
        // Foundation's transitions, keeping only those that change the offset (it also reports
        // changes of the DST flag or abbreviation alone).
        var theirs: [Int64] = []
        var date = Date(timeIntervalSince1970: TimeInterval(Self.start))
        while let next = reference.nextDaylightSavingTimeTransition(after: date),
            next.timeIntervalSince1970 < TimeInterval(Self.end)
        {
            let seconds = Int64(next.timeIntervalSince1970)
            if Self.foundationOffset(reference, seconds - 1) != Self.foundationOffset(reference, seconds) {
                theirs.append(seconds)
            }
            date = next
        }
        var ours: [Int64] = []
        var instant = Instant(secondsSinceEpoch: Self.start)
        while let next = zone.nextTransition(after: instant), next.instant.secondsSinceEpoch < Self.end {
            ours.append(next.instant.secondsSinceEpoch)
            #expect(next.offsetBefore == zone.offset(at: next.instant - .seconds(1)))
            #expect(next.offsetAfter == zone.offset(at: next.instant))
            #expect(zone.previousTransition(atOrBefore: next.instant) == next)
            #expect(zone.previousTransition(atOrBefore: next.instant - .nanoseconds(1)) != next)
            instant = next.instant
        }
        let missing = theirs.filter { !ours.contains($0) }.map { RFC3339.format(Instant(secondsSinceEpoch: $0)) }
        let extra = ours.filter { !theirs.contains($0) }.map { RFC3339.format(Instant(secondsSinceEpoch: $0)) }
        #expect(missing.isEmpty && extra.isEmpty, "\(name): missing \(missing.prefix(5)), extra \(extra.prefix(5))")
        #expect(!ours.isEmpty || name == "Asia/Kolkata" || name == "Pacific/Kiritimati")
    }

    @Test("resolve agrees with Foundation's offsets around every transition", arguments: zones)
    func resolveMatches(name: String) throws {
        let zone = try Zone.named(name)
        let reference = try #require(TimeZone(identifier: name))
        var instant = Instant(secondsSinceEpoch: Self.start)
        var checked = 0
        while let transition = zone.nextTransition(after: instant), transition.instant.secondsSinceEpoch < Self.end {
            let t = transition.instant.secondsSinceEpoch
            let before = Int64(transition.offsetBefore.seconds)
            let after = Int64(transition.offsetAfter.seconds)
            // Readings around both wall-clock images of the transition.
            for image in [t + before, t + after] {
                for delta: Int64 in [-3601, -1800, -1, 0, 1, 1799, 3600] {
                    let local = image + delta
                    try Self.check(zone, reference, local: local)
                    checked += 1
                }
            }
            instant = transition.instant
        }
        #expect(checked > 0 || zone.nextTransition(after: Instant(secondsSinceEpoch: Self.start)) == nil)
    }

    @Test("resolve agrees with Foundation at readings sampled from 1970 to 2100", arguments: zones)
    func resolveSampled(name: String) throws {
        let zone = try Zone.named(name)
        let reference = try #require(TimeZone(identifier: name))
        var local = Self.start
        while local < Self.end {
            try Self.check(zone, reference, local: local)
            local += 41 * 86_400 + 5 * 3600 + 7 * 60 + 3
        }
    }

    /// Checks `zone.resolve` for the reading `local` (seconds on the local clock) against the set
    /// of instants `t` with `t + FoundationOffset(t) == local`.
    static func check(_ zone: Zone, _ reference: TimeZone, local: Int64) throws {
        let reading = CivilDateTime(localSecondsSinceEpoch: local)
        // Every offset Foundation uses within two days either side bounds the candidates.
        var offsets: Set<Int64> = []
        for hours in stride(from: Int64(-48), through: 48, by: 1) {
            offsets.insert(Int64(foundationOffset(reference, local + hours * 3600)))
        }
        let expected = offsets.map { local - $0 }.filter { Int64(foundationOffset(reference, $0)) == local - $0 }
            .sorted()
        switch zone.resolve(reading) {
        case .unique(let instant):
            #expect(expected == [instant.secondsSinceEpoch], "\(zone) \(reading)")
        case .repeated(let first, let second):
            #expect(expected == [first.secondsSinceEpoch, second.secondsSinceEpoch], "\(zone) \(reading)")
        case .skipped(let transition):
            #expect(expected.isEmpty, "\(zone) \(reading)")
            let t = transition.instant.secondsSinceEpoch
            let before = Int64(foundationOffset(reference, t - 1))
            let after = Int64(foundationOffset(reference, t))
            #expect(t + before <= local && local < t + after, "\(zone) \(reading) gap \(transition)")
        }
    }
}
