import SchedTime

/// The day-of-month and day-of-week parts of an expression, before they are folded into day masks.
///
/// Bit layouts: `days` bit `d-1` is day `d`; `lastOffsets` bit `n` is `L-n` (`L` is `L-0`);
/// `nearestWeekdays` bit `n-1` is `nW`; `weekdays` and `lastWeekdays` bit `w` is weekday `w`
/// (0 = Sunday); `nthWeekdays` bit `(k-1)*7 + w` is `w#k`.
struct DaySpec: Hashable, Sendable {
    var days: UInt32 = 0
    var lastOffsets: UInt32 = 0
    var nearestWeekdays: UInt32 = 0
    var lastWorkday = false
    /// False when the day-of-month text starts with `*` or is `?`.
    var dayOfMonthRestricted = false
    var weekdays: UInt8 = 0
    var lastWeekdays: UInt8 = 0
    var nthWeekdays: UInt64 = 0
    /// False when the day-of-week text starts with `*` or is `?`.
    var dayOfWeekRestricted = false

    /// The matching days (bit `d-1` = day `d`) of a month with `daysInMonth` days whose 1st falls on
    /// `firstWeekday` (0 = Sunday).
    func mask(daysInMonth: Int, firstWeekday: Int) -> UInt32 {
        let valid: UInt32 = (1 << UInt32(daysInMonth)) - 1
        func weekday(of day: Int) -> Int { (firstWeekday + day - 1) % 7 }

        var dayOfMonth = days & valid
        forEachBit(of: UInt64(lastOffsets)) { n in
            if daysInMonth - n >= 1 { dayOfMonth |= 1 << UInt32(daysInMonth - n - 1) }
        }
        forEachBit(of: UInt64(nearestWeekdays)) { bit in
            // The weekday nearest to day n without leaving the month (Quartz's `nW`).
            let n = bit + 1
            guard n <= daysInMonth else { return }
            var target = n
            switch weekday(of: n) {
            case 6: target = n == 1 ? 3 : n - 1
            case 0: target = n == daysInMonth ? n - 2 : n + 1
            default: break
            }
            dayOfMonth |= 1 << UInt32(target - 1)
        }
        if lastWorkday {
            var target = daysInMonth
            switch weekday(of: daysInMonth) {
            case 6: target -= 1
            case 0: target -= 2
            default: break
            }
            dayOfMonth |= 1 << UInt32(target - 1)
        }

        // Plain weekdays: rotate the 7-bit weekday set so bit i is the weekday of day i+1, then
        // replicate it every 7 bits (multiplying by 1 + 2^7 + 2^14 + 2^21 + 2^28; copies never
        // overlap, so there are no carries).
        let week = UInt32(weekdays)
        let rotated = ((week >> UInt32(firstWeekday)) | (week << UInt32(7 - firstWeekday))) & 0x7F
        var dayOfWeek = (rotated &* 0x1020_4081) & valid
        let lastDayWeekday = weekday(of: daysInMonth)
        forEachBit(of: UInt64(lastWeekdays)) { w in
            dayOfWeek |= 1 << UInt32(daysInMonth - (lastDayWeekday - w + 7) % 7 - 1)
        }
        forEachBit(of: nthWeekdays) { bit in
            let (k, w) = (bit / 7 + 1, bit % 7)
            let day = 1 + (w - firstWeekday + 7) % 7 + 7 * (k - 1)
            if day <= daysInMonth { dayOfWeek |= 1 << UInt32(day - 1) }
        }
        // Vixie cron / cronie: OR only when both fields are restricted.
        return dayOfMonthRestricted && dayOfWeekRestricted ? dayOfMonth | dayOfWeek : dayOfMonth & dayOfWeek
    }

    /// Calls `body` with the index of each set bit, lowest first.
    @inline(__always)
    private func forEachBit(of bits: UInt64, _ body: (Int) -> Void) {
        var remaining = bits
        while remaining != 0 {
            body(remaining.trailingZeroBitCount)
            remaining &= remaining - 1
        }
    }
}

/// The matching tables of a cron expression, built once at parse time.
///
/// `seconds`/`minutes` bit `n` = value `n`; `hours` bit `h`; `months` bit `m` (1–12), already
/// reduced to months that can match at all. `dayMasks[(daysInMonth - 28) * 7 + firstWeekday]` holds
/// the matching days of every possible month shape.
struct CronSchedule: Hashable, Sendable {
    var seconds: UInt64
    var minutes: UInt64
    var hours: UInt32
    var months: UInt32
    var dayMasks: [UInt32]

    init(seconds: UInt64, minutes: UInt64, hours: UInt32, months: UInt32, days: DaySpec) {
        self.seconds = seconds
        self.minutes = minutes
        self.hours = hours
        var masks: [UInt32] = []
        masks.reserveCapacity(28)
        for daysInMonth in 28...31 {
            for firstWeekday in 0..<7 {
                masks.append(days.mask(daysInMonth: daysInMonth, firstWeekday: firstWeekday))
            }
        }
        dayMasks = masks
        // Drop months no realisable shape can match: `0 0 30 2 *` keeps no month at all.
        var possible: UInt32 = 0
        for month in 1...12 where months & (1 << UInt32(month)) != 0 {
            // February is 28 or 29 days long; every other month has one length.
            let shortest = month == 2 ? 28 : CivilDateTime.daysInMonth(year: 2001, month: month)
            let longest = month == 2 ? 29 : shortest
            var matches = false
            for length in shortest...longest {
                for firstWeekday in 0..<7 where masks[(length - 28) * 7 + firstWeekday] != 0 { matches = true }
            }
            if matches { possible |= 1 << UInt32(month) }
        }
        self.months = possible
    }

    /// Nothing ever matches (decided without searching).
    var neverFires: Bool { months == 0 }

    // MARK: - Search

    /// The first matching wall-clock reading at or after `start` (seconds since 1970-01-01 on the
    /// local wall clock), or nil when none exists up to the end of local year `limitYear`.
    ///
    /// Field-increment search: each field jumps to its next set bit at or above the current value;
    /// when a field runs out, the next larger field advances by one and all smaller fields reset to
    /// their minimum. The month's day mask is recomputed only when the month changes.
    func firstMatch(atOrAfter start: Int64, limitYear: Int) -> Int64? {
        let startDays = floorDivide(start, 86_400)
        let secondOfDay = Int(start - startDays * 86_400)
        var (year, month, day) = CivilDateTime.civil(fromDays: startDays)
        var hour = secondOfDay / 3600
        var minute = secondOfDay / 60 % 60
        var second = secondOfDay % 60

        // The month whose shape is cached in `dayMask`/`monthLength`/`monthStart`.
        var cachedYear = Int.min
        var cachedMonth = 0
        var dayMask: UInt32 = 0
        var monthLength = 0
        var monthStart: Int64 = 0

        while true {
            // 1. Month: the next allowed month at or after `month`.
            if year > limitYear { return nil }
            let monthBits = months & (UInt32.max &<< UInt32(month))
            if monthBits == 0 {
                year += 1
                month = 1
                day = 1
                hour = 0
                minute = 0
                second = 0
                continue
            }
            let nextMonth = monthBits.trailingZeroBitCount
            if nextMonth != month {
                month = nextMonth
                day = 1
                hour = 0
                minute = 0
                second = 0
            }
            if year != cachedYear || month != cachedMonth {
                cachedYear = year
                cachedMonth = month
                monthLength = CivilDateTime.daysInMonth(year: year, month: month)
                monthStart = CivilDateTime.days(fromYear: year, month: month, day: 1)
                let firstWeekday = CivilDateTime.weekday(daysSinceEpoch: monthStart)
                dayMask = dayMasks[(monthLength - 28) * 7 + firstWeekday]
            }

            // 2. Day: the next matching day of this month.
            let dayBits = dayMask & (UInt32.max &<< UInt32(day - 1))
            if dayBits == 0 {
                advanceMonth(&year, &month, &day, &hour, &minute, &second)
                continue
            }
            let nextDay = dayBits.trailingZeroBitCount + 1
            if nextDay != day {
                day = nextDay
                hour = 0
                minute = 0
                second = 0
            }

            // 3. Hour, minute, second, each carrying into the field above when exhausted.
            let hourBits = hours & (UInt32.max &<< UInt32(hour))
            if hourBits == 0 {
                day += 1
                hour = 0
                minute = 0
                second = 0
                if day > monthLength { advanceMonth(&year, &month, &day, &hour, &minute, &second) }
                continue
            }
            let nextHour = hourBits.trailingZeroBitCount
            if nextHour != hour {
                hour = nextHour
                minute = 0
                second = 0
            }
            let minuteBits = minutes & (UInt64.max &<< UInt64(minute))
            if minuteBits == 0 {
                hour += 1
                minute = 0
                second = 0
                if hour > 23 {
                    hour = 0
                    day += 1
                    if day > monthLength { advanceMonth(&year, &month, &day, &hour, &minute, &second) }
                }
                continue
            }
            let nextMinute = minuteBits.trailingZeroBitCount
            if nextMinute != minute {
                minute = nextMinute
                second = 0
            }
            let secondBits = seconds & (UInt64.max &<< UInt64(second))
            if secondBits == 0 {
                minute += 1
                second = 0
                if minute > 59 {
                    minute = 0
                    hour += 1
                    if hour > 23 {
                        hour = 0
                        day += 1
                        if day > monthLength { advanceMonth(&year, &month, &day, &hour, &minute, &second) }
                    }
                }
                continue
            }
            second = secondBits.trailingZeroBitCount
            return (monthStart + Int64(day - 1)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        }
    }

    /// Moves to the first second of the following month.
    @inline(__always)
    private func advanceMonth(
        _ year: inout Int,
        _ month: inout Int,
        _ day: inout Int,
        _ hour: inout Int,
        _ minute: inout Int,
        _ second: inout Int
    ) {
        month += 1
        if month > 12 {
            month = 1
            year += 1
        }
        day = 1
        hour = 0
        minute = 0
        second = 0
    }
}
