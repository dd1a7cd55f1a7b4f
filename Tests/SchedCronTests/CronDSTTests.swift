import SchedCron
import SchedTime
import Testing

/// Hand-checked fire times on both sides of real transitions, for every policy combination.
@Suite struct CronDSTTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var zone: String
        var expression: String
        var policy: DSTPolicy?
        var from: String
        var expected: [String]
        var testDescription: String {
            "\(expression) in \(zone) from \(from) \(policy.map { "\($0.gap)/\($0.repeated)" } ?? "default")"
        }
    }

    static let shiftFirst = DSTPolicy(gap: .shift, repeated: .first)
    static let shiftBoth = DSTPolicy(gap: .shift, repeated: .both)
    static let skipFirst = DSTPolicy(gap: .skip, repeated: .first)
    static let skipBoth = DSTPolicy(gap: .skip, repeated: .both)

    static let cases: [Case] = [
        // Europe/Berlin, spring forward 2026-03-29 02:00 CET → 03:00 CEST.
        Case(
            zone: "Europe/Berlin",
            expression: "30 2 * * *",
            policy: nil,
            from: "2026-03-28T12:00:00Z",
            expected: ["2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"]
        ),
        Case(
            zone: "Europe/Berlin",
            expression: "30 2 * * *",
            policy: shiftBoth,
            from: "2026-03-28T12:00:00Z",
            expected: ["2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"]
        ),
        Case(
            zone: "Europe/Berlin",
            expression: "30 2 * * *",
            policy: skipFirst,
            from: "2026-03-28T12:00:00Z",
            expected: ["2026-03-30T02:30:00+02:00"]
        ),
        Case(
            zone: "Europe/Berlin",
            expression: "30 2 * * *",
            policy: skipBoth,
            from: "2026-03-28T12:00:00Z",
            expected: ["2026-03-30T02:30:00+02:00"]
        ),
        // Several matches in one gap and the real 03:00 collapse into one firing.
        Case(
            zone: "Europe/Berlin",
            expression: "0,15,30,45 2,3 * * *",
            policy: nil,
            from: "2026-03-29T00:00:00Z",
            expected: ["2026-03-29T03:00:00+02:00", "2026-03-29T03:15:00+02:00", "2026-03-29T03:30:00+02:00"]
        ),
        Case(
            zone: "Europe/Berlin",
            expression: "0 2,3 * * *",
            policy: nil,
            from: "2026-03-28T12:00:00Z",
            expected: ["2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00", "2026-03-30T03:00:00+02:00"]
        ),
        // Wildcard: 02:00 and 02:30 do not exist.
        Case(
            zone: "Europe/Berlin",
            expression: "*/30 * * * *",
            policy: nil,
            from: "2026-03-29T00:00:00Z",
            expected: ["2026-03-29T01:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"]
        ),
        Case(
            zone: "Europe/Berlin",
            expression: "*/30 * * * *",
            policy: shiftBoth,
            from: "2026-03-29T00:00:00Z",
            expected: ["2026-03-29T01:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"]
        ),
        Case(
            zone: "Europe/Berlin",
            expression: "* 2 * * *",
            policy: nil,
            from: "2026-03-29T00:00:00Z",
            expected: ["2026-03-30T02:00:00+02:00", "2026-03-30T02:01:00+02:00"]
        ),
        // Europe/Berlin, fall back 2026-10-25 03:00 CEST → 02:00 CET.
        Case(
            zone: "Europe/Berlin",
            expression: "30 2 * * *",
            policy: nil,
            from: "2026-10-24T12:00:00Z",
            expected: ["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"]
        ),
        Case(
            zone: "Europe/Berlin",
            expression: "30 2 * * *",
            policy: shiftBoth,
            from: "2026-10-24T12:00:00Z",
            expected: ["2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", "2026-10-26T02:30:00+01:00"]
        ),
        Case(
            zone: "Europe/Berlin",
            expression: "30 2 * * *",
            policy: skipFirst,
            from: "2026-10-24T12:00:00Z",
            expected: ["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"]
        ),
        Case(
            zone: "Europe/Berlin",
            expression: "30 2 * * *",
            policy: skipBoth,
            from: "2026-10-24T12:00:00Z",
            expected: ["2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", "2026-10-26T02:30:00+01:00"]
        ),
        Case(
            zone: "Europe/Berlin",
            expression: "0 * * * *",
            policy: nil,
            from: "2026-10-24T23:30:00Z",
            expected: ["2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00"]
        ),
        Case(
            zone: "Europe/Berlin",
            expression: "0 * * * *",
            policy: skipFirst,
            from: "2026-10-24T23:30:00Z",
            expected: ["2026-10-25T02:00:00+02:00", "2026-10-25T03:00:00+01:00"]
        ),
        // America/New_York, spring forward 2026-03-08 02:00 EST → 03:00 EDT.
        Case(
            zone: "America/New_York",
            expression: "30 2 * * *",
            policy: nil,
            from: "2026-03-07T12:00:00Z",
            expected: ["2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"]
        ),
        Case(
            zone: "America/New_York",
            expression: "30 2 * * *",
            policy: skipBoth,
            from: "2026-03-07T12:00:00Z",
            expected: ["2026-03-09T02:30:00-04:00"]
        ),
        Case(
            zone: "America/New_York",
            expression: "*/20 2-3 * * *",
            policy: nil,
            from: "2026-03-08T06:30:00Z",
            expected: [
                "2026-03-08T03:00:00-04:00", "2026-03-08T03:20:00-04:00", "2026-03-08T03:40:00-04:00",
                "2026-03-09T02:00:00-04:00",
            ]
        ),
        // America/New_York, fall back 2026-11-01 02:00 EDT → 01:00 EST.
        Case(
            zone: "America/New_York",
            expression: "30 1 * * *",
            policy: nil,
            from: "2026-10-31T12:00:00Z",
            expected: ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"]
        ),
        Case(
            zone: "America/New_York",
            expression: "30 1 * * *",
            policy: shiftBoth,
            from: "2026-10-31T12:00:00Z",
            expected: ["2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-02T01:30:00-05:00"]
        ),
        // `after` inside the second pass: 01:30 already fired in the first pass.
        Case(
            zone: "America/New_York",
            expression: "30 1 * * *",
            policy: nil,
            from: "2026-11-01T06:10:00Z",
            expected: ["2026-11-02T01:30:00-05:00"]
        ),
        Case(
            zone: "America/New_York",
            expression: "30 1 * * *",
            policy: skipBoth,
            from: "2026-11-01T06:10:00Z",
            expected: ["2026-11-01T01:30:00-05:00", "2026-11-02T01:30:00-05:00"]
        ),
        Case(
            zone: "America/New_York",
            expression: "*/30 1 * * *",
            policy: nil,
            from: "2026-11-01T05:00:00Z",
            expected: [
                "2026-11-01T01:30:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T01:30:00-05:00",
                "2026-11-02T01:00:00-05:00",
            ]
        ),
        Case(
            zone: "America/New_York",
            expression: "*/30 1 * * *",
            policy: skipFirst,
            from: "2026-11-01T05:00:00Z",
            expected: ["2026-11-01T01:30:00-04:00", "2026-11-02T01:00:00-05:00"]
        ),
        // Australia/Lord_Howe: 30-minute shifts. Spring forward 2026-10-04 02:00 → 02:30 (+10:30 → +11).
        Case(
            zone: "Australia/Lord_Howe",
            expression: "15 2 * * *",
            policy: nil,
            from: "2026-10-03T00:00:00Z",
            expected: ["2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00"]
        ),
        Case(
            zone: "Australia/Lord_Howe",
            expression: "15 2 * * *",
            policy: skipFirst,
            from: "2026-10-03T00:00:00Z",
            expected: ["2026-10-05T02:15:00+11:00"]
        ),
        Case(
            zone: "Australia/Lord_Howe",
            expression: "*/15 2 * * *",
            policy: nil,
            from: "2026-10-03T15:00:00Z",
            expected: ["2026-10-04T02:30:00+11:00", "2026-10-04T02:45:00+11:00", "2026-10-05T02:00:00+11:00"]
        ),
        // Fall back 2026-04-05 02:00 → 01:30 (+11 → +10:30): 01:30–01:59 occurs twice.
        Case(
            zone: "Australia/Lord_Howe",
            expression: "45 1 * * *",
            policy: nil,
            from: "2026-04-04T00:00:00Z",
            expected: ["2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"]
        ),
        Case(
            zone: "Australia/Lord_Howe",
            expression: "45 1 * * *",
            policy: skipBoth,
            from: "2026-04-04T00:00:00Z",
            expected: ["2026-04-05T01:45:00+11:00", "2026-04-05T01:45:00+10:30", "2026-04-06T01:45:00+10:30"]
        ),
        // Day extensions landing on transition days: the second Sunday of March and L-23 (the 8th)
        // are New York's spring-forward day; the last Sunday of October is Berlin's fall-back day;
        // 8W moves off that Sunday to Monday the 9th, away from the gap.
        Case(
            zone: "America/New_York",
            expression: "30 2 ? 3 0#2",
            policy: nil,
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-03-08T03:00:00-04:00", "2027-03-14T03:00:00-04:00"]
        ),
        Case(
            zone: "America/New_York",
            expression: "0 2 L-23 3 *",
            policy: nil,
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-03-08T03:00:00-04:00", "2027-03-08T02:00:00-05:00"]
        ),
        Case(
            zone: "America/New_York",
            expression: "30 2 8W 3 *",
            policy: nil,
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-03-09T02:30:00-04:00"]
        ),
        Case(
            zone: "Europe/Berlin",
            expression: "30 2 ? 10 0L",
            policy: nil,
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-10-25T02:30:00+02:00", "2027-10-31T02:30:00+02:00"]
        ),
        Case(
            zone: "Europe/Berlin",
            expression: "30 2 ? 10 0L",
            policy: skipBoth,
            from: "2026-01-01T00:00:00Z",
            expected: [
                "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", "2027-10-31T02:30:00+02:00",
                "2027-10-31T02:30:00+01:00",
            ]
        ),
        // Leap day in a zone with DST.
        Case(
            zone: "America/New_York",
            expression: "30 2 29 2 *",
            policy: nil,
            from: "2026-01-01T00:00:00Z",
            expected: ["2028-02-29T02:30:00-05:00", "2032-02-29T02:30:00-05:00"]
        ),
        // Pacific/Apia skipped 2011-12-30 entirely (-10:00 → +14:00 at local midnight).
        Case(
            zone: "Pacific/Apia",
            expression: "0 12 * * *",
            policy: nil,
            from: "2011-12-29T12:00:00-10:00",
            expected: ["2011-12-31T00:00:00+14:00", "2011-12-31T12:00:00+14:00"]
        ),
        Case(
            zone: "Pacific/Apia",
            expression: "0 12 * * *",
            policy: skipBoth,
            from: "2011-12-29T12:00:00-10:00",
            expected: ["2011-12-31T12:00:00+14:00"]
        ),
        Case(
            zone: "Pacific/Apia",
            expression: "0 0 30 12 *",
            policy: nil,
            from: "2011-12-01T00:00:00Z",
            expected: ["2011-12-31T00:00:00+14:00", "2012-12-30T00:00:00+14:00"]
        ),
    ]

    @Test("fires at the hand-checked instants around transitions", arguments: cases)
    func handCheckedTransitions(_ row: Case) throws {
        let zone = try Zone.named(row.zone)
        let expression = try CronExpression(parsing: row.expression)
        let times = fireTimes(
            expression,
            from: instant(row.from),
            in: zone,
            count: row.expected.count,
            policy: row.policy
        )
        #expect(times == row.expected)
    }

    // MARK: - Annotations

    @Test("annotates a firing shifted out of a gap with the reading that did not exist")
    func shiftedAnnotation() throws {
        let zone = try Zone.named("America/New_York")
        let expression = try CronExpression(parsing: "30 2 * * *")
        let fire = try #require(expression.next(after: instant("2026-03-07T12:00:00Z"), in: zone))
        #expect(fire.instant == instant("2026-03-08T03:00:00-04:00"))
        #expect(
            fire.adjustment == .shiftedOutOfGap(local: CivilDateTime(year: 2026, month: 3, day: 8, hour: 2, minute: 30))
        )
        let after = try #require(expression.next(after: fire.instant, in: zone))
        #expect(after.adjustment == nil)
    }

    @Test("annotates the first of a repeated reading only when the second is dropped")
    func repeatedAnnotation() throws {
        let zone = try Zone.named("Europe/Berlin")
        let expression = try CronExpression(parsing: "30 2 * * *")
        let start = instant("2026-10-24T12:00:00Z")
        let first = try #require(expression.next(after: start, in: zone))
        #expect(
            first.adjustment
                == .firstOfRepeated(local: CivilDateTime(year: 2026, month: 10, day: 25, hour: 2, minute: 30))
        )
        let both = try #require(expression.next(after: start, in: zone, policy: .wallClock))
        #expect(both.instant == first.instant)
        #expect(both.adjustment == nil)
    }

    @Test("a real match at the end of a gap is not annotated when nothing in the gap matched")
    func realMatchAtGapEnd() throws {
        let zone = try Zone.named("Europe/Berlin")
        let expression = try CronExpression(parsing: "0 3 * * *")
        let fire = try #require(expression.next(after: instant("2026-03-28T12:00:00Z"), in: zone))
        #expect(fire.instant == instant("2026-03-29T03:00:00+02:00"))
        #expect(fire.adjustment == nil)
    }

    // MARK: - Never fires

    @Test(
        "expressions that can never match are known at parse time and return nil",
        arguments: ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 2,4 *", "0 0 L-30 2 *", "0 0 30W 2 *"]
    )
    func neverFires(_ text: String) throws {
        let expression = try CronExpression(parsing: text)
        #expect(expression.neverFires)
        #expect(expression.next(after: instant("2026-01-01T00:00:00Z"), in: .utc) == nil)
        #expect(expression.next(after: instant("2026-01-01T00:00:00Z"), in: try Zone.named("America/New_York")) == nil)
    }

    @Test(
        "rare but possible days are found years ahead",
        arguments: [
            ("0 0 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00-05:00"),
            // `*/1` leaves the day-of-week unrestricted, so only the 29th counts.
            ("0 0 29 2 */1", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00-05:00"),
            // The fifth Monday of February: 29 February on a Monday, 2044.
            ("0 0 ? 2 1#5", "2026-03-01T00:00:00Z", "2044-02-29T00:00:00-05:00"),
            ("0 0 29 2 1", "2026-03-01T00:00:00Z", "2027-02-01T00:00:00-05:00"),
        ]
    )
    func rareDays(_ text: String, _ from: String, _ expected: String) throws {
        let expression = try CronExpression(parsing: text)
        #expect(!expression.neverFires)
        let fire = expression.next(after: instant(from), in: try Zone.named("America/New_York"))
        #expect(fire?.instant == instant(expected))
    }

    @Test("skips the non-leap century year and stops where Instant ends (2262)")
    func farFuture() throws {
        // 2100 is not a leap year, so after 2096 the next 29 February is in 2104.
        let expression = try CronExpression(parsing: "0 0 29 2 *")
        #expect(
            expression.next(after: instant("2096-03-01T00:00:00Z"), in: .utc)?.instant
                == instant("2104-02-29T00:00:00Z")
        )
        let daily = try CronExpression(parsing: "0 0 * * *")
        #expect(
            daily.next(after: instant("2262-04-10T00:00:00Z"), in: .utc)?.instant == instant("2262-04-11T00:00:00Z")
        )
        #expect(daily.next(after: instant("2262-04-11T00:00:00Z"), in: .utc) == nil)
    }
}

/// The line format `schedctl next` prints: instant first, explanation after two spaces.
@Suite struct CronFireLineTests {
    @Test("a plain firing is just the RFC 3339 instant with the zone's offset")
    func plainLine() throws {
        let zone = try Zone.named("America/New_York")
        let fire = CronFire(instant: instant("2026-03-09T06:30:00Z"))
        #expect(fire.line(in: zone) == "2026-03-09T02:30:00-04:00")
    }

    @Test("a shifted firing explains which reading did not exist")
    func shiftedLine() throws {
        let zone = try Zone.named("America/New_York")
        let expression = try CronExpression(parsing: "30 2 * * *")
        let fire = try #require(expression.next(after: instant("2026-03-07T12:00:00Z"), in: zone))
        #expect(
            fire.line(in: zone)
                == "2026-03-08T03:00:00-04:00  (02:30 does not exist on this day; shifted to the end of the DST gap)"
        )
    }

    @Test("a de-duplicated firing explains that the reading repeats, with seconds when present")
    func repeatedLine() throws {
        let zone = try Zone.named("Europe/Berlin")
        let expression = try CronExpression(parsing: "15 30 2 * * *")
        let fire = try #require(expression.next(after: instant("2026-10-24T12:00:00Z"), in: zone))
        #expect(
            fire.line(in: zone)
                == "2026-10-25T02:30:15+02:00  (02:30:15 occurs twice on this day; fires only at the first occurrence)"
        )
    }
}

/// Where `next` starts and stops on the time line.
@Suite struct CronBoundaryTests {
    @Test("a fractional start rounds up to the next whole second, strictly after it")
    func fractionalStart() throws {
        let expression = try CronExpression(parsing: "*/5 * * * *")
        let justBefore = Instant(nanosecondsSinceEpoch: instant("2026-01-01T00:05:00Z").nanosecondsSinceEpoch - 1)
        #expect(expression.next(after: justBefore, in: .utc)?.instant == instant("2026-01-01T00:05:00Z"))
        let justAfter = Instant(nanosecondsSinceEpoch: instant("2026-01-01T00:05:00Z").nanosecondsSinceEpoch + 1)
        #expect(expression.next(after: justAfter, in: .utc)?.instant == instant("2026-01-01T00:10:00Z"))
        #expect(
            expression.next(after: instant("2026-01-01T00:05:00Z"), in: .utc)?.instant
                == instant("2026-01-01T00:10:00Z")
        )
    }

    @Test("the ends of Instant's range give an answer or nil, never a trap")
    func extremeInstants() throws {
        let expression = try CronExpression(parsing: "0 0 * * *")
        let zone = try Zone.named("America/New_York")
        let earliest = Instant(nanosecondsSinceEpoch: .min)
        let first = try #require(expression.next(after: earliest, in: zone))
        #expect(first.instant > earliest)
        #expect(expression.next(after: Instant(nanosecondsSinceEpoch: .max), in: zone) == nil)
        #expect(expression.next(after: Instant(nanosecondsSinceEpoch: .max), in: .utc) == nil)
    }

    @Test("successive calls never repeat or go backwards around Lord Howe's half-hour transitions")
    func strictlyIncreasing() throws {
        let zone = try Zone.named("Australia/Lord_Howe")
        for text in ["*/15 * * * *", "0,30 1,2 * * *", "15 2 * * *", "45 1 * * *"] {
            let expression = try CronExpression(parsing: text)
            for policy in [DSTPolicy.fixedTime, .wallClock, DSTPolicy(gap: .shift, repeated: .both)] {
                var cursor = instant("2026-04-03T00:00:00Z")
                for _ in 0..<400 {
                    guard let fire = expression.next(after: cursor, in: zone, policy: policy) else { break }
                    #expect(fire.instant > cursor, "\(text)")
                    cursor = fire.instant
                }
            }
        }
    }
}
