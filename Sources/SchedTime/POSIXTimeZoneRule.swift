/// A POSIX `TZ` rule such as `EST5EDT,M3.2.0,M11.1.0`: the footer of a TZif v2+ file, which says
/// how the zone behaves after its last listed transition.
///
/// Grammar (POSIX.1-2017 section 8.3 with the RFC 8536 extensions: hours up to 167 and negative
/// rule times, so `M3.5.0/-1` and `M9.1.6/24` are valid):
///
///     rule     = std offset [ dst [ offset ] [ "," date [ "/" time ] "," date [ "/" time ] ] ]
///     std, dst = 3*ALPHA | "<" 1*( ALPHA | DIGIT | "+" | "-" ) ">"
///     offset   = [ "+" | "-" ] hh [ ":" mm [ ":" ss ] ]      ; positive means WEST of Greenwich
///     date     = "J" n (1–365, February 29th never counted)
///              | n (0–365, counting February 29th)
///              | "M" m "." w "." d (month 1–12, week 1–5 where 5 is "last", weekday 0 = Sunday)
///     time     = [ "+" | "-" ] hh [ ":" mm [ ":" ss ] ]      ; local time, default 02:00:00
///
/// A `dst` without an offset is one hour ahead of `std`; a `dst` without dates uses the US rules
/// `M3.2.0,M11.1.0`, as glibc does. "DST" only means "the second offset": Europe/Dublin's
/// `IST-1GMT0,M10.5.0,M3.5.0/1` has a winter offset lower than its standard one, which works here
/// because nothing assumes the DST offset is the larger.
struct POSIXTimeZoneRule: Hashable, Sendable {
    /// A day of the year on which a change happens, in one of the three POSIX forms.
    enum DateRule: Hashable, Sendable {
        /// `Jn`: 1-based day of a 365-day year; February 29th is never counted.
        case julianNoLeap(Int)
        /// `n`: 0-based day of the year, February 29th counted.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (5 = last) in month `m`.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    /// When the zone switches to or from its daylight offset, in local time of the offset in force
    /// before the switch.
    struct Change: Hashable, Sendable {
        var date: DateRule
        /// Seconds after local midnight of `date`; may be negative or beyond a day.
        var time: Int64
    }

    var standardAbbreviation: String
    /// Seconds east of UTC (the POSIX text counts west; this is already negated).
    var standardOffset: Int32
    var daylightAbbreviation: String?
    var daylightOffset: Int32
    /// Switch to `daylightOffset`; nil for a zone with one offset.
    var daylightStart: Change?
    /// Switch back to `standardOffset`.
    var daylightEnd: Change?

    /// Whether the rule ever changes offset.
    var hasDaylightSaving: Bool { daylightStart != nil && daylightOffset != standardOffset }

    // MARK: - Parsing

    /// Parses `text`, or returns nil when it is not a POSIX TZ rule.
    init?(_ text: String) {
        var scanner = RuleScanner(Array(text.utf8))
        guard let standardName = scanner.abbreviation(), let standardWest = scanner.offset(maxHours: 24) else {
            return nil
        }
        standardAbbreviation = standardName
        standardOffset = Int32(-standardWest)
        daylightAbbreviation = nil
        daylightOffset = standardOffset
        daylightStart = nil
        daylightEnd = nil
        if scanner.isAtEnd { return }

        guard let daylightName = scanner.abbreviation() else { return nil }
        daylightAbbreviation = daylightName
        if let daylightWest = scanner.offset(maxHours: 24) {
            daylightOffset = Int32(-daylightWest)
        } else {
            daylightOffset = standardOffset + 3600
        }
        if scanner.isAtEnd {
            daylightStart = Change(date: .monthWeekDay(month: 3, week: 2, weekday: 0), time: 7200)
            daylightEnd = Change(date: .monthWeekDay(month: 11, week: 1, weekday: 0), time: 7200)
            return
        }
        guard scanner.take(","), let start = scanner.change(), scanner.take(","), let end = scanner.change(),
            scanner.isAtEnd
        else { return nil }
        daylightStart = start
        daylightEnd = end
    }

    // MARK: - Transitions

    /// The two switches of `year` as (UTC seconds since the epoch, offset from then on), in the
    /// order start, end; nil for a rule without daylight saving.
    func changes(inYear year: Int) -> (start: (Int64, Int32), end: (Int64, Int32))? {
        guard hasDaylightSaving, let daylightStart, let daylightEnd else { return nil }
        let startLocal = Self.localSeconds(of: daylightStart, inYear: year)
        let endLocal = Self.localSeconds(of: daylightEnd, inYear: year)
        // Each switch is written in the local time of the offset in force just before it.
        return (
            (startLocal - Int64(standardOffset), daylightOffset),
            (endLocal - Int64(daylightOffset), standardOffset)
        )
    }

    /// Seconds from 1970-01-01T00:00 local to the moment `change` happens in `year`, local time.
    static func localSeconds(of change: Change, inYear year: Int) -> Int64 {
        let yearStart = CivilDateTime.days(fromYear: year, month: 1, day: 1)
        let day: Int64
        switch change.date {
        case .julianNoLeap(let n):
            // Day n of a 365-day year: from March on, a leap year's February 29th is skipped.
            let leapShift = CivilDateTime.isLeapYear(year) && n >= 60 ? 1 : 0
            day = yearStart + Int64(n - 1 + leapShift)
        case .zeroBased(let n):
            day = yearStart + Int64(n)
        case .monthWeekDay(let month, let week, let weekday):
            let monthStart = CivilDateTime.days(fromYear: year, month: month, day: 1)
            let firstWeekday = CivilDateTime.weekday(daysSinceEpoch: monthStart)
            var dayOfMonth = 1 + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
            let length = CivilDateTime.daysInMonth(year: year, month: month)
            while dayOfMonth > length { dayOfMonth -= 7 }
            day = monthStart + Int64(dayOfMonth - 1)
        }
        return day * 86_400 + change.time
    }
}

/// Byte cursor for `POSIXTimeZoneRule`'s grammar.
private struct RuleScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    private var next: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard next == UInt8(character.value) else { return false }
        position += 1
        return true
    }

    /// `std` or `dst`: three or more letters, or anything alphanumeric (plus `+`/`-`) in `<>`.
    mutating func abbreviation() -> String? {
        let start = position
        if take("<") {
            while let byte = next, byte != UInt8(ascii: ">") {
                guard isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") else {
                    return nil
                }
                position += 1
            }
            guard position - start >= 2, take(">") else { return nil }
            return String(decoding: bytes[(start + 1)..<(position - 1)], as: UTF8.self)
        }
        while let byte = next, isLetter(byte) { position += 1 }
        guard position - start >= 3 else {
            position = start
            return nil
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// `[+|-]hh[:mm[:ss]]` in seconds, or nil (consuming nothing) when no offset is next.
    mutating func offset(maxHours: Int) -> Int64? {
        let start = position
        var sign: Int64 = 1
        if take("-") {
            sign = -1
        } else {
            _ = take("+")
        }
        guard let hours = number(maxDigits: 3), hours <= maxHours else {
            position = start
            return nil
        }
        var total = hours * 3600
        if take(":") {
            guard let minutes = number(maxDigits: 2), minutes <= 59 else {
                position = start
                return nil
            }
            total += minutes * 60
            if take(":") {
                guard let seconds = number(maxDigits: 2), seconds <= 59 else {
                    position = start
                    return nil
                }
                total += seconds
            }
        }
        return sign * Int64(total)
    }

    /// `date[/time]`.
    mutating func change() -> POSIXTimeZoneRule.Change? {
        let date: POSIXTimeZoneRule.DateRule
        if take("J") {
            guard let n = number(maxDigits: 3), (1...365).contains(n) else { return nil }
            date = .julianNoLeap(n)
        } else if take("M") {
            guard let month = number(maxDigits: 2), (1...12).contains(month), take("."),
                let week = number(maxDigits: 1), (1...5).contains(week), take("."),
                let weekday = number(maxDigits: 1), (0...6).contains(weekday)
            else { return nil }
            date = .monthWeekDay(month: month, week: week, weekday: weekday)
        } else {
            guard let n = number(maxDigits: 3), (0...365).contains(n) else { return nil }
            date = .zeroBased(n)
        }
        var time: Int64 = 7200
        if take("/") {
            // RFC 8536 section 3.3.1: hours may range over -167...167.
            guard let value = offset(maxHours: 167) else { return nil }
            time = value
        }
        return POSIXTimeZoneRule.Change(date: date, time: time)
    }

    /// An unsigned decimal of 1...`maxDigits` digits.
    private mutating func number(maxDigits: Int) -> Int? {
        var value = 0
        var count = 0
        while count < maxDigits, let byte = next, isDigit(byte) {
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            position += 1
            count += 1
        }
        return count == 0 ? nil : value
    }

    private func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
