/// A wall-clock reading with no zone attached: what a clock on the wall in some place shows.
///
/// Fields are plain integers in their natural ranges (month 1–12, day 1–31, hour 0–23, minute and
/// second 0–59). Conversions use Howard Hinnant's days-from-civil algorithms on the proleptic
/// Gregorian calendar: exact, branch-light and allocation-free, with no dependency on Foundation's
/// `Calendar`.
public struct CivilDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var nanosecond: Int

    /// A reading from its fields; nothing is validated or normalised (see `isValid`).
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, nanosecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
    }

    /// The civil reading of `localSeconds` counted from 1970-01-01T00:00:00 on the same wall clock.
    public init(localSecondsSinceEpoch localSeconds: Int64, nanosecond: Int = 0) {
        let days = floorDivide(localSeconds, 86_400)
        let secondOfDay = Int(localSeconds - days * 86_400)
        let (y, m, d) = CivilDateTime.civil(fromDays: days)
        self.init(
            year: y,
            month: m,
            day: d,
            hour: secondOfDay / 3600,
            minute: secondOfDay / 60 % 60,
            second: secondOfDay % 60,
            nanosecond: nanosecond
        )
    }

    /// Seconds from 1970-01-01T00:00:00 to this reading on the same wall clock (as if it were UTC).
    public var localSecondsSinceEpoch: Int64 {
        CivilDateTime.days(fromYear: year, month: month, day: day) * 86_400
            + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Days since 1970-01-01 of this reading's date.
    public var daysSinceEpoch: Int64 {
        CivilDateTime.days(fromYear: year, month: month, day: day)
    }

    /// Day of the week, 0 = Sunday … 6 = Saturday (cron's numbering).
    public var weekday: Int {
        CivilDateTime.weekday(daysSinceEpoch: daysSinceEpoch)
    }

    /// Whether every field is in range for a real calendar date and a time of day.
    public var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= CivilDateTime.daysInMonth(year: year, month: month)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...59).contains(second)
            && (0..<1_000_000_000).contains(nanosecond)
    }

    /// Orders readings as a wall clock would, field by field (not by any real instant).
    public static func < (lhs: CivilDateTime, rhs: CivilDateTime) -> Bool {
        let left = lhs.localSecondsSinceEpoch
        let right = rhs.localSecondsSinceEpoch
        return left != right ? left < right : lhs.nanosecond < rhs.nanosecond
    }

    /// `YYYY-MM-DDTHH:MM:SS`, with `.fffffffff` trimmed of trailing zeros when there are nanoseconds.
    public var description: String {
        var text =
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        if nanosecond != 0 {
            var fraction = pad(nanosecond, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text
    }

    // MARK: - Calendar arithmetic

    /// Gregorian leap years: divisible by 4, except centuries not divisible by 400.
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Days in `month` (1–12) of `year`: 28 to 31.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
    public static func days(fromYear year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Hinnant's `civil_from_days`).
    public static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// Day of the week for a day count since 1970-01-01 (a Thursday), 0 = Sunday.
    public static func weekday(daysSinceEpoch days: Int64) -> Int {
        Int(floorModulo(days + 4, 7))
    }
}

/// Zero-padded decimal, for the fixed-width fields of ISO 8601 text.
func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(abs(value))
    let sign = value < 0 ? "-" : ""
    return sign + String(repeating: "0", count: max(0, width - digits.count)) + digits
}
