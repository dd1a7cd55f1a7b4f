import Testing

@testable import SchedTime

@Suite struct POSIXTimeZoneRuleTests {
    typealias Rule = POSIXTimeZoneRule

    @Test("reads US rules with explicit dates")
    func usRules() throws {
        let rule = try #require(Rule("EST5EDT,M3.2.0,M11.1.0"))
        #expect(rule.standardAbbreviation == "EST")
        #expect(rule.standardOffset == -18_000)
        #expect(rule.daylightAbbreviation == "EDT")
        #expect(rule.daylightOffset == -14_400)
        #expect(rule.daylightStart == Rule.Change(date: .monthWeekDay(month: 3, week: 2, weekday: 0), time: 7200))
        #expect(rule.daylightEnd == Rule.Change(date: .monthWeekDay(month: 11, week: 1, weekday: 0), time: 7200))
        // 2026: second Sunday of March is the 8th, first Sunday of November the 1st.
        let changes = try #require(rule.changes(inYear: 2026))
        #expect(changes.start.0 == RFC3339.parse("2026-03-08T07:00:00Z")?.secondsSinceEpoch)
        #expect(changes.end.0 == RFC3339.parse("2026-11-01T06:00:00Z")?.secondsSinceEpoch)
    }

    @Test("reads quoted abbreviations and minutes in offsets")
    func quotedAndMinutes() throws {
        let tehran = try #require(Rule("<+0330>-3:30"))
        #expect(tehran.standardAbbreviation == "+0330")
        #expect(tehran.standardOffset == 12_600)
        #expect(!tehran.hasDaylightSaving)
        #expect(tehran.changes(inYear: 2030) == nil)
        let chatham = try #require(Rule("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45"))
        #expect(chatham.standardOffset == 45_900)
        #expect(chatham.daylightOffset == 49_500)
        #expect(chatham.daylightStart?.time == 9900)
    }

    @Test("negative DST: Dublin's winter offset is the 'daylight' one")
    func negativeDaylightSaving() throws {
        let rule = try #require(Rule("IST-1GMT0,M10.5.0,M3.5.0/1"))
        #expect(rule.standardOffset == 3600)
        #expect(rule.daylightOffset == 0)
        let changes = try #require(rule.changes(inYear: 2026))
        // Winter starts 2026-10-25 02:00 IST = 01:00Z; summer 2026-03-29 01:00 GMT = 01:00Z.
        #expect(changes.start == (RFC3339.parse("2026-10-25T01:00:00Z")!.secondsSinceEpoch, 0))
        #expect(changes.end == (RFC3339.parse("2026-03-29T01:00:00Z")!.secondsSinceEpoch, 3600))
    }

    @Test("rule times may be negative or beyond 24 hours")
    func extendedTimes() throws {
        let nuuk = try #require(Rule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0"))
        #expect(nuuk.daylightStart?.time == -3600)
        // Last Sunday of March 2026 is the 29th; at -1:00 local (-02) = 2026-03-29T01:00Z.
        #expect(nuuk.changes(inYear: 2026)?.start.0 == RFC3339.parse("2026-03-29T01:00:00Z")?.secondsSinceEpoch)
        let godthab = try #require(Rule("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1"))
        #expect(godthab.daylightStart?.time == -7200)
        #expect(godthab.daylightEnd?.time == -3600)
        let santiago = try #require(Rule("<-04>4<-03>,M9.1.6/24,M4.1.6/24"))
        #expect(santiago.daylightStart?.time == 86_400)
        // First Saturday of September 2026 is the 5th; 24:00 that day is 6 Sep 00:00 at -04.
        #expect(santiago.changes(inYear: 2026)?.start.0 == RFC3339.parse("2026-09-06T04:00:00Z")?.secondsSinceEpoch)
        let permanent = try #require(Rule("EST5EDT,0/0,J365/25"))
        #expect(permanent.daylightEnd == Rule.Change(date: .julianNoLeap(365), time: 90_000))
        let extreme = try #require(Rule("XXX3YYY,M3.5.0/167,M10.5.0/-167"))
        #expect(extreme.daylightStart?.time == 601_200)
        #expect(extreme.daylightEnd?.time == -601_200)
    }

    @Test("J days skip February 29th, zero-based days count it")
    func dayForms() throws {
        let julian = Rule.Change(date: .julianNoLeap(60), time: 0)
        let zeroBased = Rule.Change(date: .zeroBased(59), time: 0)
        func date(_ change: Rule.Change, _ year: Int) -> CivilDateTime {
            CivilDateTime(localSecondsSinceEpoch: Rule.localSeconds(of: change, inYear: year))
        }
        #expect(date(julian, 2024) == CivilDateTime(year: 2024, month: 3, day: 1))
        #expect(date(julian, 2026) == CivilDateTime(year: 2026, month: 3, day: 1))
        #expect(date(zeroBased, 2024) == CivilDateTime(year: 2024, month: 2, day: 29))
        #expect(date(zeroBased, 2026) == CivilDateTime(year: 2026, month: 3, day: 1))
        #expect(date(Rule.Change(date: .julianNoLeap(1), time: 0), 2026) == CivilDateTime(year: 2026, month: 1, day: 1))
        let parsed = try #require(Rule("XXX3YYY,J60/0,59/0"))
        #expect(parsed.daylightStart?.date == .julianNoLeap(60))
        #expect(parsed.daylightEnd?.date == .zeroBased(59))
    }

    @Test("week 5 means the last such weekday of the month")
    func lastWeekday() {
        let lastSundayOfOctober = Rule.Change(date: .monthWeekDay(month: 10, week: 5, weekday: 0), time: 0)
        for (year, day) in [(2026, 25), (2027, 31), (2020, 25), (2021, 31)] {
            let reading = CivilDateTime(
                localSecondsSinceEpoch: Rule.localSeconds(of: lastSundayOfOctober, inYear: year)
            )
            #expect(reading == CivilDateTime(year: year, month: 10, day: day))
        }
    }

    @Test("a DST name without dates uses the US rules and one hour ahead")
    func defaults() throws {
        let rule = try #require(Rule("EST5EDT"))
        #expect(rule.daylightOffset == -14_400)
        #expect(rule.daylightStart?.date == .monthWeekDay(month: 3, week: 2, weekday: 0))
        #expect(Rule("UTC0")?.standardOffset == 0)
        #expect(Rule("<-03>+3")?.standardOffset == -10_800)
    }

    @Test(
        "rejects malformed rules",
        arguments: [
            "", "E5", "EST", "5", "EST25", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.6.0,M11.1.0",
            "EST5EDT,M3.2.7,M11.1.0",
            "<+03", "<>3", "EST5EDT,M3.2.0", "EST5EDT,J0,J365", "EST5EDT,366,1", "EST5EDT,M3.2.0/168,M11.1.0",
            "EST5:60", "EST5EDT,M3.2.0,M11.1.0junk", "EST5EDT4junk",
        ]
    )
    func rejects(text: String) {
        #expect(Rule(text) == nil)
    }

    @Test("a permanent-DST rule yields a zone that stays on daylight time")
    func permanentDaylightSaving() throws {
        let zone = try #require(Zone.posixRule("EST5EDT,0/0,J365/25"))
        for text in ["2030-01-01T05:00:00Z", "2030-06-01T00:00:00Z", "2030-12-31T23:00:00Z", "2031-01-01T05:30:00Z"] {
            #expect(zone.offset(at: try #require(RFC3339.parse(text))) == UTCOffset(seconds: -14_400), "\(text)")
        }
        #expect(zone.nextTransition(after: try #require(RFC3339.parse("1950-01-01T00:00:00Z"))) == nil)
    }
}
