import SchedCron
import SchedTime
import Testing

/// `CronExpression.matches(_:)`, the table lookup the fuzzer uses to check `next`, agrees with the
/// naive reference predicates and with what `next` returns.
@Suite struct CronMatchingTests {
    @Test(
        "matches single readings",
        arguments: [
            ("30 9 * * 1-5", "2026-11-27T09:30:00", true),  // a Friday
            ("30 9 * * 1-5", "2026-11-28T09:30:00", false),  // a Saturday
            ("0 0 L * *", "2028-02-29T00:00:00", true),
            ("0 0 L * *", "2028-02-28T00:00:00", false),
            ("0 0 1 * 5", "2026-11-27T00:00:00", true),  // both restricted: a Friday matches
            ("0 0 */2 * 5", "2026-11-20T00:00:00", false),  // `*/2` is unrestricted, so AND: the 20th is even
            ("15 * * * * *", "2026-11-28T03:04:15", true),
            ("15 * * * * *", "2026-11-28T03:04:16", false),
            ("0 0 LW * *", "2026-05-29T00:00:00", true),  // May 31 2026 is a Sunday
            ("0 0 * * 5#4", "2026-11-27T00:00:00", true),
            ("@reboot", "2026-11-27T00:00:00", false),
        ]
    )
    func singleReadings(_ text: String, _ reading: String, _ expected: Bool) throws {
        let expression = try CronExpression(parsing: text)
        let local = try #require(RFC3339.parse(reading + "Z")).civilUTC
        #expect(expression.matches(local) == expected)
    }

    @Test("agrees with the reference model over random expressions and readings")
    func agreesWithReference() throws {
        var rng = SeededGenerator(state: 77)
        for _ in 0..<300 {
            let reference = ReferenceExpression.random(using: &rng, withSeconds: Bool.random(using: &rng))
            let expression = try CronExpression(parsing: reference.text)
            for _ in 0..<200 {
                let seconds = Int64.random(in: 1_700_000_000...2_000_000_000, using: &rng)
                let local = CivilDateTime(localSecondsSinceEpoch: seconds)
                #expect(expression.matches(local) == reference.matches(local), "'\(reference.text)' at \(local)")
            }
        }
    }

    @Test("every reading `next` returns in UTC matches")
    func nextResultsMatch() throws {
        var rng = SeededGenerator(state: 78)
        for _ in 0..<200 {
            let reference = ReferenceExpression.random(using: &rng, withSeconds: Bool.random(using: &rng))
            let expression = try CronExpression(parsing: reference.text)
            var cursor = Instant(secondsSinceEpoch: Int64.random(in: 1_700_000_000...2_000_000_000, using: &rng))
            for _ in 0..<20 {
                guard let fire = expression.next(after: cursor, in: .utc) else { break }
                #expect(expression.matches(Zone.utc.localTime(at: fire.instant)), "'\(reference.text)'")
                cursor = fire.instant
            }
        }
    }

    @Test("readings that are not calendar times never match")
    func invalidReadings() throws {
        let expression = try CronExpression(parsing: "* * * * * *")
        #expect(!expression.matches(CivilDateTime(year: 2026, month: 2, day: 30)))
        #expect(!expression.matches(CivilDateTime(year: 2026, month: 13, day: 1)))
        #expect(expression.matches(CivilDateTime(year: 2026, month: 2, day: 28)))
    }
}

extension Instant {
    /// The UTC wall-clock reading of this instant.
    fileprivate var civilUTC: CivilDateTime { Zone.utc.localTime(at: self) }
}
