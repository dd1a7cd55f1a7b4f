import Testing

@testable import SchedTime

/// Cross-checks the TZif reader against glibc's `zdump` over 1970–2100.
///
/// zdump decodes the very file `Zone.named` reads, with glibc's code, so this oracle holds whatever
/// tzdata release is installed — unlike Foundation, whose ICU carries its own copy (see
/// `ZoneFoundationTests`). It checks the decoding, the footer expansion to 2100 and every lookup
/// against an implementation we did not write, on the same zones as `ZoneFoundationTests`.
/// The cross-checks carry `.zdumpInstalled`, which skips them with a message where zdump is missing.
@Suite struct ZoneZdumpTests {
    static let zones = ZoneFoundationTests.zones
    static let start = ZoneFoundationTests.start  // 1970-01-01T00:00:00Z
    static let end = ZoneFoundationTests.end  // 2100-01-01T00:00:00Z
    static let endYear = 2100

    static func history(_ name: String) throws -> Zdump.History {
        try Zdump.history(ofZoneNamed: name, untilYear: endYear)
    }

    /// Our transitions strictly between `start` and `end`.
    static func transitions(of zone: Zone) -> [ZoneTransition] {
        var result: [ZoneTransition] = []
        var instant = Instant(secondsSinceEpoch: start)
        while let next = zone.nextTransition(after: instant), next.instant.secondsSinceEpoch < end {
            result.append(next)
            instant = next.instant
        }
        return result
    }

    @Test("transitions and the offsets around them match zdump's from 1970 to 2100", .zdumpInstalled, arguments: zones)
    func transitionsMatch(name: String) throws {
        let zone = try Zone.named(name)
        let history = try Self.history(name)
        let theirs = history.transitions(after: Self.start, before: Self.end)
        let ours = Self.transitions(of: zone)
        #expect(zone.offset(at: Instant(secondsSinceEpoch: Self.start)) == history.offset(at: Self.start), "\(name)")
        let missing = theirs.filter { !ours.contains($0) }
        let extra = ours.filter { !theirs.contains($0) }
        #expect(missing.isEmpty && extra.isEmpty, "\(name): missing \(missing.prefix(3)), extra \(extra.prefix(3))")
        #expect(ours == theirs, "\(name)")
        // Zones that last changed before 1970 are the only ones allowed an empty list.
        #expect(!theirs.isEmpty || name == "Asia/Kolkata", "\(name): zdump reported no transitions")
    }

    @Test("offsets match zdump's at every transition and at sampled instants", .zdumpInstalled, arguments: zones)
    func offsetsMatch(name: String) throws {
        let zone = try Zone.named(name)
        let history = try Self.history(name)
        var probes: [Int64] = history.transitions(after: Self.start, before: Self.end).flatMap {
            [$0.instant.secondsSinceEpoch - 1, $0.instant.secondsSinceEpoch]
        }
        // An odd stride walks through every time of day and weekday.
        probes += Array(stride(from: Self.start, to: Self.end, by: 5 * 86_400 + 7 * 3600 + 13 * 60 + 17))
        let mismatches = probes.filter { zone.offset(at: Instant(secondsSinceEpoch: $0)) != history.offset(at: $0) }
            .map {
                "\(RFC3339.format(Instant(secondsSinceEpoch: $0))): \(zone.offset(at: Instant(secondsSinceEpoch: $0)))"
            }
        #expect(mismatches.isEmpty, "\(name): \(mismatches.prefix(5))")
    }

    @Test("resolve agrees with zdump's offsets around every transition", .zdumpInstalled, arguments: zones)
    func resolveAroundTransitions(name: String) throws {
        let zone = try Zone.named(name)
        let history = try Self.history(name)
        var checked = 0
        for transition in history.transitions(after: Self.start, before: Self.end) {
            let t = transition.instant.secondsSinceEpoch
            // Readings around both wall-clock images of the transition.
            for image in [t + Int64(transition.offsetBefore.seconds), t + Int64(transition.offsetAfter.seconds)] {
                for delta: Int64 in [-3601, -1800, -1, 0, 1, 1799, 3600] {
                    Self.check(zone, history, local: image + delta)
                    checked += 1
                }
            }
        }
        #expect(checked > 0 || name == "Asia/Kolkata")
    }

    @Test(
        "resolve agrees with zdump's offsets at readings sampled from 1970 to 2100",
        .zdumpInstalled,
        arguments: zones
    )
    func resolveSampled(name: String) throws {
        let zone = try Zone.named(name)
        let history = try Self.history(name)
        for local in stride(from: Self.start, to: Self.end, by: 41 * 86_400 + 5 * 3600 + 7 * 60 + 3) {
            Self.check(zone, history, local: local)
        }
    }

    @Test("zdump's output is parsed into offset changes only")
    func parsesZdumpOutput() throws {
        // Troll's first line pair changes only the abbreviation (-00 to +00), so it is no transition.
        let output = """
            Antarctica/Troll  -9223372036854775808 = NULL
            Antarctica/Troll  Fri Feb 11 23:59:59 2005 UT = Fri Feb 11 23:59:59 2005 -00 isdst=0 gmtoff=0
            Antarctica/Troll  Sat Feb 12 00:00:00 2005 UT = Sat Feb 12 00:00:00 2005 +00 isdst=0 gmtoff=0
            Antarctica/Troll  Sun Mar 27 00:59:59 2005 UT = Sun Mar 27 00:59:59 2005 +00 isdst=0 gmtoff=0
            Antarctica/Troll  Sun Mar 27 01:00:00 2005 UT = Sun Mar 27 03:00:00 2005 +02 isdst=1 gmtoff=7200
            Antarctica/Troll  9223372036854775807 = NULL
            """
        let history = try Zdump.parse(output)
        let spring = RFC3339.parse("2005-03-27T01:00:00Z")
        #expect(history.initialOffset == .zero)
        #expect(
            history.transitions
                == [
                    ZoneTransition(instant: try #require(spring), offsetBefore: .zero, offsetAfter: UTCOffset(hours: 2))
                ]
        )
        // A line whose local reading is not UT plus gmtoff is rejected rather than misread.
        let inconsistent = "X  Sun Mar 27 01:00:00 2005 UT = Sun Mar 27 02:00:00 2005 +02 isdst=1 gmtoff=7200"
        #expect(throws: Zdump.Failure.self) { try Zdump.parse(inconsistent + "\n" + inconsistent) }
    }

    /// Checks `zone.resolve` for the reading `local` (seconds on the local clock) against the set of
    /// instants `t` with `t + zdumpOffset(t) == local`.
    static func check(_ zone: Zone, _ history: Zdump.History, local: Int64) {
        let reading = CivilDateTime(localSecondsSinceEpoch: local)
        // Every offset in force within two days either side bounds the candidates.
        let offsets = history.offsets(from: local - 2 * 86_400, through: local + 2 * 86_400)
        let expected = offsets.map { local - Int64($0.seconds) }
            .filter { Int64(history.offset(at: $0).seconds) == local - $0 }
            .sorted()
        switch zone.resolve(reading) {
        case .unique(let instant):
            #expect(expected == [instant.secondsSinceEpoch], "\(zone) \(reading)")
        case .repeated(let first, let second):
            #expect(expected == [first.secondsSinceEpoch, second.secondsSinceEpoch], "\(zone) \(reading)")
        case .skipped(let transition):
            #expect(expected.isEmpty, "\(zone) \(reading)")
            let t = transition.instant.secondsSinceEpoch
            let before = Int64(history.offset(at: t - 1).seconds)
            let after = Int64(history.offset(at: t).seconds)
            #expect(t + before <= local && local < t + after, "\(zone) \(reading) gap \(transition)")
        }
    }
}
