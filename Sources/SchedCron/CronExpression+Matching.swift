public import SchedTime

extension CronExpression {
    /// Whether the wall-clock reading `local` matches every field of the expression (second, minute,
    /// hour, month and the day rule), ignoring zones and DST: the question "would a clock on the wall
    /// showing `local` fire?".
    ///
    /// This reads the parsed tables directly instead of searching, so it is an independent check on
    /// `next(after:in:policy:)` (the fuzzer and the tests use it that way). Always false for
    /// `@reboot` and for readings that are not real calendar times.
    public func matches(_ local: CivilDateTime) -> Bool {
        guard !isReboot, local.isValid else { return false }
        guard schedule.seconds & (1 << UInt64(local.second)) != 0,
            schedule.minutes & (1 << UInt64(local.minute)) != 0,
            schedule.hours & (1 << UInt32(local.hour)) != 0,
            schedule.months & (1 << UInt32(local.month)) != 0
        else { return false }
        let monthLength = CivilDateTime.daysInMonth(year: local.year, month: local.month)
        let firstWeekday = CivilDateTime.weekday(
            daysSinceEpoch: CivilDateTime.days(fromYear: local.year, month: local.month, day: 1)
        )
        return schedule.dayMasks[(monthLength - 28) * 7 + firstWeekday] & (1 << UInt32(local.day - 1)) != 0
    }
}
