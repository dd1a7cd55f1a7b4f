import Foundation
import Testing

@testable import SchedTime

/// Names, built-in zones, errors and the system zone.
@Suite struct ZoneLookupTests {
    @Test("UTC spellings need no tzdata", arguments: ["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z"])
    func utcSpellings(name: String) throws {
        let zone = try Zone.named(name, searching: ["/nonexistent"])
        #expect(zone.identifier == name)
        #expect(zone.offset(at: Instant(secondsSinceEpoch: 1_800_000_000)) == .zero)
        #expect(zone.isFixed)
    }

    static let fixedOffsetNames: [(String, String, Int32)] = [
        ("+05:30", "+05:30", 19_800), ("-04:00", "-04:00", -14_400), ("+0530", "+05:30", 19_800),
        ("-04", "-04:00", -14_400), ("+00:00", "+00:00", 0), ("+23:59", "+23:59", 86_340),
    ]

    @Test("fixed offsets need no tzdata", arguments: fixedOffsetNames)
    func fixedOffsets(name: String, identifier: String, seconds: Int32) throws {
        let zone = try Zone.named(name, searching: ["/nonexistent"])
        #expect(zone.identifier == identifier)
        #expect(zone.offset(at: Instant(secondsSinceEpoch: 0)).seconds == seconds)
        let expected = Instant(secondsSinceEpoch: 1_767_225_600 - Int64(seconds))
        #expect(zone.resolve(CivilDateTime(year: 2026, month: 1, day: 1)) == .unique(expected))
    }

    @Test("unknown zones name the zone and the folders searched")
    func unknownZone() {
        let error = #expect(throws: ZoneError.self) {
            try Zone.named("Mars/Olympus_Mons", searching: ["/nonexistent", "/also/not"])
        }
        #expect(error?.code == .unknownZone)
        #expect(error?.zone == "Mars/Olympus_Mons")
        #expect(error?.description == "unknown time zone 'Mars/Olympus_Mons' (looked in /nonexistent, /also/not)")
        let defaultError = #expect(throws: ZoneError.self) { try Zone.named("Europe/Atlantis") }
        #expect(defaultError?.description.contains("/usr/share/zoneinfo") == true)
    }

    @Test(
        "names that escape the zoneinfo folder or are malformed are refused",
        arguments: [
            "", "/etc/passwd", "../../etc/passwd", "Europe/../../etc/passwd", "./Europe/Berlin", "UTC+3", "+24:00",
            "+05:60",
        ]
    )
    func refusedNames(name: String) {
        let error = #expect(throws: ZoneError.self) { try Zone.named(name) }
        #expect(error?.code == .unknownZone)
    }

    @Test("a folder is not a zone, and non-TZif files are invalid data")
    func foldersAndOtherFiles() {
        #expect(throws: ZoneError.self) { try Zone.named("Europe") }
        let error = #expect(throws: ZoneError.self) { try Zone.named("zone1970.tab") }
        #expect(error?.code == .invalidData)
    }

    @Test("loaded zones are cached and links keep the name asked for")
    func caching() throws {
        let first = try Zone.named("America/Godthab")
        #expect(try Zone.named("America/Godthab") === first)
        #expect(first.identifier == "America/Godthab")
        let nuuk = try Zone.named("America/Nuuk")
        #expect(first != nuuk)
        let probe = Instant(secondsSinceEpoch: 1_800_000_000)
        #expect(first.nextTransition(after: probe) == nuuk.nextTransition(after: probe))
    }

    @Test("zone names are recovered from zoneinfo paths")
    func namesFromPaths() {
        #expect(Zone.zoneName(fromPath: "/usr/share/zoneinfo/Europe/Berlin") == "Europe/Berlin")
        #expect(Zone.zoneName(fromPath: "/usr/share/zoneinfo/posix/Asia/Tokyo") == "Asia/Tokyo")
        #expect(Zone.zoneName(fromPath: "/var/db/timezone/zoneinfo/UTC") == "UTC")
        #expect(Zone.zoneName(fromPath: "/etc/localtime") == nil)
    }

    @Test("POSIX TZ rules become zones for TZ values that name no file")
    func posixRuleZones() throws {
        let zone = try #require(Zone.posixRule("EST5EDT,M3.2.0,M11.1.0"))
        let newYork = try Zone.named("America/New_York")
        for text in ["2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z", "2040-07-01T00:00:00Z", "2040-11-04T06:00:00Z"] {
            let instant = try #require(RFC3339.parse(text))
            #expect(zone.offset(at: instant) == newYork.offset(at: instant), "\(text)")
        }
        #expect(Zone.posixRule("Not/A_Rule") == nil)
    }

    @Test("the system zone agrees with Foundation's current zone")
    func systemZone() throws {
        let zone = Zone.system()
        let reference = TimeZone.current
        for seconds in stride(from: Int64(0), to: 4_102_444_800, by: 86_400 * 97 + 3_607) {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(
                zone.offset(at: Instant(secondsSinceEpoch: seconds)).seconds
                    == Int32(reference.secondsFromGMT(for: date))
            )
        }
    }
}
