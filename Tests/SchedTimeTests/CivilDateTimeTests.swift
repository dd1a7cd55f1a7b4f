import Testing

@testable import SchedTime

@Suite struct CivilDateTimeTests {
    @Test("day counts and civil dates round-trip day by day over about ±1100 years")
    func daysRoundTrip() {
        // Walk forward one calendar day at a time by hand and compare with both conversions.
        var (year, month, day) = CivilDateTime.civil(fromDays: -400_000)
        #expect(CivilDateTime.days(fromYear: year, month: month, day: day) == -400_000)
        var failures = 0
        for days in Int64(-400_000)...400_000 {
            if CivilDateTime.days(fromYear: year, month: month, day: day) != days { failures += 1 }
            let civil = CivilDateTime.civil(fromDays: days)
            if civil.year != year || civil.month != month || civil.day != day { failures += 1 }
            day += 1
            if day > CivilDateTime.daysInMonth(year: year, month: month) {
                day = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
        }
        #expect(failures == 0)
        #expect(year == 3065)
    }

    @Test(
        "known weekdays",
        arguments: [
            (1970, 1, 1, 4), (2000, 1, 1, 6), (2000, 2, 29, 2), (2026, 11, 28, 6), (1969, 12, 31, 3),
            (1900, 1, 1, 1), (2100, 12, 31, 5), (1600, 3, 1, 3), (2262, 4, 11, 5),
        ]
    )
    func weekdays(year: Int, month: Int, day: Int, weekday: Int) {
        #expect(CivilDateTime(year: year, month: month, day: day).weekday == weekday)
    }

    @Test("weekdays advance by one each day")
    func weekdaysCycle() {
        for days in Int64(-10_000)...10_000 {
            let today = CivilDateTime.weekday(daysSinceEpoch: days)
            #expect((today + 1) % 7 == CivilDateTime.weekday(daysSinceEpoch: days + 1))
        }
    }

    @Test("local seconds round-trip, including before the epoch")
    func localSecondsRoundTrip() {
        for seconds in stride(from: Int64(-5_000_000_000), through: 5_000_000_000, by: 86_399 * 37 + 11) {
            let reading = CivilDateTime(localSecondsSinceEpoch: seconds)
            #expect(reading.isValid)
            #expect(reading.localSecondsSinceEpoch == seconds)
        }
        let reading = CivilDateTime(localSecondsSinceEpoch: -1)
        #expect(reading == CivilDateTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59))
    }

    @Test("leap years follow the Gregorian rule")
    func leapYears() {
        #expect(CivilDateTime.isLeapYear(2000))
        #expect(CivilDateTime.isLeapYear(2024))
        #expect(!CivilDateTime.isLeapYear(1900))
        #expect(!CivilDateTime.isLeapYear(2100))
        #expect(!CivilDateTime.isLeapYear(2026))
        #expect(CivilDateTime.daysInMonth(year: 2024, month: 2) == 29)
        #expect(CivilDateTime.daysInMonth(year: 2100, month: 2) == 28)
    }

    @Test("validity rejects impossible fields")
    func validity() {
        #expect(CivilDateTime(year: 2024, month: 2, day: 29).isValid)
        #expect(!CivilDateTime(year: 2026, month: 2, day: 29).isValid)
        #expect(!CivilDateTime(year: 2026, month: 4, day: 31).isValid)
        #expect(!CivilDateTime(year: 2026, month: 1, day: 1, hour: 24).isValid)
        #expect(!CivilDateTime(year: 2026, month: 13, day: 1).isValid)
    }

    @Test("description is ISO 8601 with a trimmed fraction")
    func description() {
        #expect(
            CivilDateTime(year: 2026, month: 3, day: 9, hour: 4, minute: 5, second: 6).description
                == "2026-03-09T04:05:06"
        )
        #expect(
            CivilDateTime(year: 2026, month: 3, day: 9, nanosecond: 120_000_000).description == "2026-03-09T00:00:00.12"
        )
    }
}
