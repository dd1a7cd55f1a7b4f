import SchedCron
import SchedTime
import Testing

@Suite struct CronParserTests {
    // MARK: - Accepted syntax, checked through the fire times it produces (UTC)

    struct Valid: CustomTestStringConvertible, Sendable {
        var expression: String
        var from: String
        var expected: [String]
        var testDescription: String { expression }
    }

    static let valid: [Valid] = [
        Valid(
            expression: "*/5 * * * *",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-01-01T00:05:00+00:00", "2026-01-01T00:10:00+00:00", "2026-01-01T00:15:00+00:00"]
        ),
        Valid(
            expression: "0 9-17/4 * * *",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-01-01T09:00:00+00:00", "2026-01-01T13:00:00+00:00", "2026-01-01T17:00:00+00:00"]
        ),
        Valid(
            expression: "30 5/6 * * *",
            from: "2026-01-01T00:00:00Z",
            expected: [
                "2026-01-01T05:30:00+00:00", "2026-01-01T11:30:00+00:00", "2026-01-01T17:30:00+00:00",
                "2026-01-01T23:30:00+00:00", "2026-01-02T05:30:00+00:00",
            ]
        ),
        Valid(
            expression: "0,30 1,2 * * *",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-01-01T01:00:00+00:00", "2026-01-01T01:30:00+00:00", "2026-01-01T02:00:00+00:00"]
        ),
        Valid(
            expression: "15,45 */2 * * *",
            from: "2026-01-01T01:00:00Z",
            expected: ["2026-01-01T02:15:00+00:00", "2026-01-01T02:45:00+00:00", "2026-01-01T04:15:00+00:00"]
        ),
        Valid(
            expression: "*/20 * * * * *",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-01-01T00:00:20+00:00", "2026-01-01T00:00:40+00:00", "2026-01-01T00:01:00+00:00"]
        ),
        Valid(
            expression: "5 0 0 * * *",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-01-01T00:00:05+00:00", "2026-01-02T00:00:05+00:00"]
        ),
        // Names in any case, also in ranges; 7 is Sunday. 2026-01-01 is a Thursday.
        Valid(
            expression: "0 12 * jan-Feb MON-wed",
            from: "2026-01-01T00:00:00Z",
            expected: [
                "2026-01-05T12:00:00+00:00", "2026-01-06T12:00:00+00:00", "2026-01-07T12:00:00+00:00",
                "2026-01-12T12:00:00+00:00",
            ]
        ),
        Valid(
            expression: "0 0 * * 7",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-01-04T00:00:00+00:00", "2026-01-11T00:00:00+00:00"]
        ),
        Valid(
            expression: "0 0 * * 5-7",
            from: "2026-01-01T00:00:00Z",
            expected: [
                "2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00", "2026-01-04T00:00:00+00:00",
                "2026-01-09T00:00:00+00:00",
            ]
        ),
        Valid(
            expression: "0 0 1 dec ?",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-12-01T00:00:00+00:00", "2027-12-01T00:00:00+00:00"]
        ),
        // Day-of-month extensions.
        Valid(
            expression: "0 0 L * *",
            from: "2026-01-01T00:00:00Z",
            expected: [
                "2026-01-31T00:00:00+00:00", "2026-02-28T00:00:00+00:00", "2026-03-31T00:00:00+00:00",
                "2026-04-30T00:00:00+00:00",
            ]
        ),
        Valid(
            expression: "0 0 L-2 * *",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-01-29T00:00:00+00:00", "2026-02-26T00:00:00+00:00", "2026-03-29T00:00:00+00:00"]
        ),
        // 2026-02-15 is a Sunday (→ Monday 16), 2026-03-15 a Sunday, 2026-08-15 a Saturday (→ Friday 14).
        Valid(
            expression: "0 0 15W * *",
            from: "2026-02-01T00:00:00Z",
            expected: ["2026-02-16T00:00:00+00:00", "2026-03-16T00:00:00+00:00", "2026-04-15T00:00:00+00:00"]
        ),
        Valid(expression: "0 0 15W aug *", from: "2026-01-01T00:00:00Z", expected: ["2026-08-14T00:00:00+00:00"]),
        // 1W never leaves the month: 2026-08-01 is a Saturday → Monday 3rd.
        Valid(expression: "0 0 1W aug *", from: "2026-01-01T00:00:00Z", expected: ["2026-08-03T00:00:00+00:00"]),
        // LW: last weekday; 2026-05-31 is a Sunday → Friday 29th; 2026-01-31 a Saturday → 30th.
        Valid(
            expression: "0 0 LW * *",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-01-30T00:00:00+00:00", "2026-02-27T00:00:00+00:00", "2026-03-31T00:00:00+00:00"]
        ),
        // Day-of-week extensions: last Friday, second Tuesday.
        Valid(
            expression: "0 0 ? * 5L",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-01-30T00:00:00+00:00", "2026-02-27T00:00:00+00:00", "2026-03-27T00:00:00+00:00"]
        ),
        Valid(
            expression: "0 0 * * 2#2",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-01-13T00:00:00+00:00", "2026-02-10T00:00:00+00:00", "2026-03-10T00:00:00+00:00"]
        ),
        Valid(
            expression: "0 0 * * fri#5",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-01-30T00:00:00+00:00", "2026-05-29T00:00:00+00:00", "2026-07-31T00:00:00+00:00"]
        ),
        // Leap day.
        Valid(
            expression: "0 0 29 2 *",
            from: "2026-01-01T00:00:00Z",
            expected: ["2028-02-29T00:00:00+00:00", "2032-02-29T00:00:00+00:00", "2036-02-29T00:00:00+00:00"]
        ),
        // Both day fields restricted: either matches (the 13th or any Friday).
        Valid(
            expression: "0 0 13 * 5",
            from: "2026-02-01T00:00:00Z",
            expected: [
                "2026-02-06T00:00:00+00:00", "2026-02-13T00:00:00+00:00", "2026-02-20T00:00:00+00:00",
                "2026-02-27T00:00:00+00:00", "2026-03-06T00:00:00+00:00", "2026-03-13T00:00:00+00:00",
            ]
        ),
        // `*/2` counts as unrestricted: odd days that are also Fridays.
        Valid(
            expression: "0 0 */2 * 5",
            from: "2026-02-01T00:00:00Z",
            expected: ["2026-02-13T00:00:00+00:00", "2026-02-27T00:00:00+00:00", "2026-03-13T00:00:00+00:00"]
        ),
        Valid(
            expression: "0 0 1 * */3",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-02-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00", "2026-04-01T00:00:00+00:00"]
        ),
        // Macros.
        Valid(expression: "@yearly", from: "2026-01-01T00:00:00Z", expected: ["2027-01-01T00:00:00+00:00"]),
        Valid(expression: "@annually", from: "2026-01-01T00:00:00Z", expected: ["2027-01-01T00:00:00+00:00"]),
        Valid(expression: "@monthly", from: "2026-01-01T00:00:00Z", expected: ["2026-02-01T00:00:00+00:00"]),
        Valid(expression: "@weekly", from: "2026-01-01T00:00:00Z", expected: ["2026-01-04T00:00:00+00:00"]),
        Valid(expression: "@daily", from: "2026-01-01T00:00:00Z", expected: ["2026-01-02T00:00:00+00:00"]),
        Valid(expression: "@midnight", from: "2026-01-01T00:00:00Z", expected: ["2026-01-02T00:00:00+00:00"]),
        Valid(expression: "@hourly", from: "2026-01-01T00:00:00Z", expected: ["2026-01-01T01:00:00+00:00"]),
        Valid(
            expression: "  CRON_TZ=UTC   0 0 * * *  ",
            from: "2026-01-01T00:00:00Z",
            expected: ["2026-01-02T00:00:00+00:00"]
        ),
        Valid(expression: "TZ=UTC @daily", from: "2026-01-01T00:00:00Z", expected: ["2026-01-02T00:00:00+00:00"]),
    ]

    @Test("accepts every documented form and fires accordingly", arguments: valid)
    func acceptsValidExpressions(_ row: Valid) throws {
        let expression = try CronExpression(parsing: row.expression)
        let times = fireTimes(expression, from: instant(row.from), in: .utc, count: row.expected.count)
        #expect(times == row.expected)
    }

    // MARK: - Rejected syntax: message and column

    struct Invalid: CustomTestStringConvertible, Sendable {
        var expression: String
        var message: String
        var column: Int
        var length: Int = 1
        var testDescription: String { expression }
    }

    static let invalid: [Invalid] = [
        Invalid(expression: "61 * * * *", message: "minute value 61 is out of range 0-59", column: 1, length: 2),
        Invalid(expression: "0 24 * * *", message: "hour value 24 is out of range 0-23", column: 3, length: 2),
        Invalid(expression: "0 0 32 * *", message: "day-of-month value 32 is out of range 1-31", column: 5, length: 2),
        Invalid(expression: "0 0 0 * *", message: "day-of-month value 0 is out of range 1-31", column: 5),
        Invalid(expression: "0 0 * 13 *", message: "month value 13 is out of range 1-12", column: 7, length: 2),
        Invalid(expression: "0 0 * * 8", message: "day-of-week value 8 is out of range 0-7", column: 9),
        Invalid(expression: "60 0 0 * * *", message: "second value 60 is out of range 0-59", column: 1, length: 2),
        Invalid(
            expression: "CRON_TZ=Europe/Berlin 0 61 * * *",
            message: "hour value 61 is out of range 0-23",
            column: 25,
            length: 2
        ),
        Invalid(
            expression: "0 0 * * 1,2,99",
            message: "day-of-week value 99 is out of range 0-7",
            column: 13,
            length: 2
        ),
        Invalid(
            expression: "0 5-3 * * *",
            message: "reversed range 5-3 in the hour field (start must not exceed end)",
            column: 3,
            length: 3
        ),
        Invalid(
            expression: "0 0 * * FRI-MON",
            message: "reversed range FRI-MON in the day-of-week field (start must not exceed end)",
            column: 9,
            length: 7
        ),
        Invalid(expression: "*/0 * * * *", message: "step must be at least 1", column: 3),
        Invalid(expression: "1-5/0 * * * *", message: "step must be at least 1", column: 5),
        Invalid(
            expression: "*/61 * * * *",
            message: "step 61 is larger than the minute range 0-59",
            column: 3,
            length: 2
        ),
        Invalid(expression: "*/ * * * *", message: "missing step after '/' in the minute field", column: 2),
        Invalid(expression: "1,,2 * * * *", message: "empty item in the minute list", column: 3),
        Invalid(expression: ",1 * * * *", message: "empty item in the minute list", column: 1),
        Invalid(expression: "1, * * * *", message: "empty item in the minute list", column: 2),
        Invalid(expression: "0 0 * * Mnd", message: "unknown weekday 'Mnd'", column: 9, length: 3),
        Invalid(expression: "0 0 * Jnu *", message: "unknown month 'Jnu'", column: 7, length: 3),
        Invalid(expression: "0 0 * * *x", message: "unexpected 'x' in the day-of-week field", column: 10),
        Invalid(expression: "0 0 1x * *", message: "unexpected 'x' in the day-of-month field", column: 6),
        Invalid(
            expression: "0 0 MON * *",
            message: "unexpected 'MON' in the day-of-month field",
            column: 5,
            length: 3
        ),
        Invalid(
            expression: "0 0 0 * * *  1",
            message: "expected 5 or 6 fields (or a macro such as @daily), found 7",
            column: 1,
            length: 14
        ),
        Invalid(
            expression: "0 0 * *",
            message: "expected 5 or 6 fields (or a macro such as @daily), found 4",
            column: 1,
            length: 7
        ),
        Invalid(
            expression: "0 0 0 0 * * * *",
            message: "expected 5 or 6 fields (or a macro such as @daily), found 8",
            column: 1,
            length: 15
        ),
        Invalid(expression: "", message: "empty cron expression", column: 1),
        Invalid(
            expression: "? 0 * * *",
            message: "'?' is only allowed in the day-of-month and day-of-week fields",
            column: 1
        ),
        Invalid(
            expression: "0 0 * ? *",
            message: "'?' is only allowed in the day-of-month and day-of-week fields",
            column: 7
        ),
        Invalid(expression: "L 0 * * *", message: "'L' is not allowed in the minute field", column: 1),
        Invalid(expression: "0 0 * L *", message: "'L' is not allowed in the month field", column: 7),
        Invalid(
            expression: "0 0 * * L",
            message: "'L' in the day-of-week field needs a weekday before it (e.g. 5L)",
            column: 9
        ),
        Invalid(expression: "0 0 L-31 * *", message: "'L-' offset 31 is out of range 0-30", column: 7, length: 2),
        Invalid(
            expression: "0 0 32W * *",
            message: "day-of-month value 32 is out of range 1-31",
            column: 5,
            length: 2
        ),
        Invalid(expression: "0 0 * * 1#6", message: "occurrence 6 after '#' is out of range 1-5", column: 11),
        Invalid(expression: "0 0 * * 1#", message: "missing occurrence (1-5) after '#'", column: 10),
        Invalid(
            expression: "0 0 L/2 * *",
            message: "unexpected '/2' in the day-of-month field",
            column: 6,
            length: 2
        ),
        Invalid(expression: "@often", message: "unknown macro '@often'", column: 1, length: 6),
        Invalid(expression: "@daily 0", message: "unexpected text after '@daily'", column: 8),
        Invalid(
            expression: "CRON_TZ= 0 0 * * *",
            message: "missing zone name after 'CRON_TZ='",
            column: 1,
            length: 8
        ),
        Invalid(expression: "TZ=UTC", message: "missing cron fields after 'TZ=UTC'", column: 7),
        Invalid(
            expression: "H 0 * * *",
            message: "'H' needs a hash seed (the job id), and none was given",
            column: 1
        ),
        Invalid(
            expression: "0 0 5- * *",
            message: "missing end of range after '-' in the day-of-month field",
            column: 6
        ),
        Invalid(
            expression: "0 0 * * 1-",
            message: "missing end of range after '-' in the day-of-week field",
            column: 10
        ),
        Invalid(expression: "0 0 * * 1-9", message: "day-of-week value 9 is out of range 0-7", column: 11),
        // Columns count Unicode scalars, also inside the prefix.
        Invalid(expression: "0 0 * * Mön", message: "unknown weekday 'Mön'", column: 9, length: 3),
        Invalid(
            expression: "TZ=Ürümqi 61 * * * *",
            message: "minute value 61 is out of range 0-59",
            column: 11,
            length: 2
        ),
        Invalid(expression: "0 0 * * #2", message: "unexpected '#2' in the day-of-week field", column: 9, length: 2),
    ]

    @Test("rejects bad syntax with a message pointing at the offending column", arguments: invalid)
    func rejectsInvalidExpressions(_ row: Invalid) {
        let error = #expect(throws: CronParseError.self) { try CronExpression(parsing: row.expression) }
        #expect(error?.message == row.message)
        #expect(error?.column == row.column)
        #expect(error?.length == row.length)
        #expect(error?.expression == row.expression)
    }

    @Test("renders the error with a caret under the offending text")
    func caretRendering() {
        let error = #expect(throws: CronParseError.self) { try CronExpression(parsing: "61 * * * *") }
        #expect(
            error?.description == """
                error: minute value 61 is out of range 0-59
                  61 * * * *
                  ^~
                """
        )
    }

    // MARK: - Properties

    @Test(
        "classifies fixed-time and wildcard expressions by the minute and hour text",
        arguments: [
            ("0 2 * * *", true), ("30 2,3 * * *", true), ("0 */2 * * *", false), ("* 2 * * *", false),
            ("*/5 * * * *", false), ("0 0 0 * * *", true), ("* 0 0 * * *", true), ("0 * 0 * * *", false),
            ("@daily", true), ("@weekly", true), ("@hourly", false), ("@reboot", false), ("5-10 1-3 * * *", true),
        ]
    )
    func fixedTime(_ text: String, _ fixed: Bool) throws {
        let expression = try CronExpression(parsing: text)
        #expect(expression.isFixedTime == fixed)
        #expect(expression.defaultDSTPolicy == (fixed ? .fixedTime : .wallClock))
    }

    @Test("reads the zone prefix and keeps the source text")
    func zonePrefix() throws {
        let cronTZ = try CronExpression(parsing: "CRON_TZ=America/New_York 0 9 * * 1-5")
        #expect(cronTZ.zoneName == "America/New_York")
        #expect(cronTZ.source == "CRON_TZ=America/New_York 0 9 * * 1-5")
        #expect(cronTZ.description == cronTZ.source)
        let tz = try CronExpression(parsing: "TZ=Asia/Kolkata @daily")
        #expect(tz.zoneName == "Asia/Kolkata")
        #expect(try CronExpression(parsing: "0 0 * * *").zoneName == nil)
    }

    @Test("@reboot parses but has no fire times")
    func reboot() throws {
        let expression = try CronExpression(parsing: "@reboot")
        #expect(expression.isReboot)
        #expect(!expression.neverFires)
        #expect(expression.next(after: instant("2026-01-01T00:00:00Z"), in: .utc) == nil)
        #expect(try !CronExpression(parsing: "@daily").isReboot)
    }

    // MARK: - Hashed values

    @Test("H gives the documented stable value for a seed (FNV-1a 64 of seed and field index, fmix64)")
    func hashIsStable() throws {
        // Pinned: a change here moves every hashed job's schedule, so it must be deliberate.
        let expression = try CronExpression(parsing: "H H H * H", hashSeed: "backup-job")
        #expect(expression.canonicalDescription == "39 21 26 * 4")
        #expect(
            try CronExpression(parsing: "H H(9-17) * * *", hashSeed: "backup-job").canonicalDescription == "39 15 * * *"
        )
        #expect(
            try CronExpression(parsing: "H/15 * * * *", hashSeed: "backup-job").canonicalDescription
                == "9-59/15 * * * *"
        )
        let again = try CronExpression(parsing: "H H H * H", hashSeed: "backup-job")
        #expect(again == expression)
    }

    @Test("H spreads different seeds over the field's range and stays inside it")
    func hashSpreads() throws {
        var minutes: Set<String> = []
        for index in 0..<200 {
            let expression = try CronExpression(parsing: "H H(2-4) H * *", hashSeed: "job-\(index)")
            let fields = expression.canonicalDescription.split(separator: " ").map(String.init)
            let (minute, hour, day) = (Int(fields[0]) ?? -1, Int(fields[1]) ?? -1, Int(fields[2]) ?? -1)
            #expect((0...59).contains(minute))
            #expect((2...4).contains(hour))
            #expect((1...28).contains(day))
            minutes.insert(fields[0])
        }
        #expect(minutes.count > 40)
    }

    @Test("H/n fires every n units from a stable offset below n")
    func hashStep() throws {
        let expression = try CronExpression(parsing: "H/20 * * * *", hashSeed: "report")
        let times = fireTimes(expression, from: instant("2026-01-01T00:00:00Z"), in: .utc, count: 4)
        let minutes = times.compactMap { Int($0.dropFirst(14).prefix(2)) }
        #expect(minutes.count == 4)
        #expect(minutes.allSatisfy { $0 % 20 == minutes[0] % 20 })
        #expect(minutes[0] < 20)
    }

    @Test("the same expression with different seeds differs only where H is written")
    func hashOnlyAffectsH() throws {
        let a = try CronExpression(parsing: "H 3 * * *", hashSeed: "a")
        let b = try CronExpression(parsing: "H 3 * * *", hashSeed: "b")
        #expect(a.canonicalDescription.hasSuffix(" 3 * * *"))
        #expect(b.canonicalDescription.hasSuffix(" 3 * * *"))
        #expect(
            try CronExpression(parsing: "0 3 * * *", hashSeed: "a")
                == CronExpression(parsing: "0 3 * * *", hashSeed: "b")
        )
    }

    // MARK: - Canonical form

    @Test(
        "canonical text parses back to itself and to the same schedule",
        arguments: [
            "0 12 * jan-Feb MON-wed", "*/5 * * * *", "CRON_TZ=Europe/Berlin 30 2 * * *", "@daily", "TZ=UTC @hourly",
            "@reboot", "0 0 L,L-3,15W,LW * *", "0 0 ? * 5L,SUN#2", "5 1-59/7 */3 ? * 7", "0 0 */2 * 5",
            "H H(0-5) H * H", "H/15 H(9-17)/2 * * *",
        ]
    )
    func canonicalRoundTrip(_ text: String) throws {
        let expression = try CronExpression(parsing: text, hashSeed: "backup-job")
        let reparsed = try CronExpression(parsing: expression.canonicalDescription, hashSeed: "backup-job")
        #expect(reparsed.canonicalDescription == expression.canonicalDescription)
        #expect(reparsed.isFixedTime == expression.isFixedTime)
        #expect(reparsed.zoneName == expression.zoneName)
        let start = instant("2026-01-01T00:00:00Z")
        #expect(
            fireTimes(reparsed, from: start, in: .utc, count: 20)
                == fireTimes(expression, from: start, in: .utc, count: 20)
        )
    }

    @Test("canonical text spells names as numbers and expands macros")
    func canonicalSpelling() throws {
        #expect(try CronExpression(parsing: "0 12 * jan-Feb MON-wed").canonicalDescription == "0 12 * 1-2 1-3")
        #expect(try CronExpression(parsing: "CRON_TZ=UTC  @weekly").canonicalDescription == "CRON_TZ=UTC 0 0 * * 0")
        #expect(try CronExpression(parsing: "0 0 ? * fri#3").canonicalDescription == "0 0 ? * 5#3")
    }
}
