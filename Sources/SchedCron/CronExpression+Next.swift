public import SchedTime

extension CronExpression {
    /// How far ahead `next` looks before deciding an expression never fires, in local years.
    public static let searchHorizonYears = 100

    /// The last whole second `Instant` can hold (in 2262).
    static let lastRepresentableSecond = Int64.max / 1_000_000_000

    /// The first fire time strictly after `instant` in `zone` (the prefix zone, when there is one,
    /// must already be resolved by the caller and passed here). `nil` when it never fires within
    /// 100 years, and always for `@reboot`.
    ///
    /// Fire times are whole seconds. `policy` defaults to `defaultDSTPolicy` (cronie's rule):
    /// with `.shift`, matches inside a spring-forward gap fire once at the transition instant;
    /// with `.first`, a wall-clock reading that occurs twice fires only in the first pass.
    /// Successive calls, each from the previous result, give strictly increasing instants.
    public func next(after instant: Instant, in zone: Zone, policy: DSTPolicy? = nil) -> CronFire? {
        guard !isReboot, !schedule.neverFires else { return nil }
        let policy = policy ?? defaultDSTPolicy
        let skipsRepeats = policy.repeated == .first

        // 1. The segment holding `after`: candidates are whole seconds ≥ after + 1, read with the
        //    offset in force at `after` until the next transition.
        //    Zone lookups floor to whole seconds themselves (transitions are whole seconds), so
        //    `instant` is passed as it is rather than rebuilt from its floored seconds.
        let afterSeconds = instant.secondsSinceEpoch
        var offset = Int64(zone.offset(at: instant).seconds)
        var transition = zone.nextTransition(after: instant)
        var lowerLocal = afterSeconds + 1 + offset

        // 2. `after` may lie in the second pass of a fold: its repeated readings already fired.
        if skipsRepeats, let previous = zone.previousTransition(atOrBefore: instant), previous.isFold {
            lowerLocal = max(lowerLocal, previous.instant.secondsSinceEpoch + Int64(previous.offsetBefore.seconds))
        }
        let limitYear =
            CivilDateTime.civil(fromDays: floorDivide(afterSeconds + offset, 86_400)).year
            + CronExpression.searchHorizonYears

        // 3. Segment by segment: the first match either lies before the segment's end or the
        //    transition at the end decides.
        while true {
            guard let local = schedule.firstMatch(atOrAfter: lowerLocal, limitYear: limitYear) else { return nil }
            let fire = local - offset
            // `Instant` ends in 2262; nothing later can be represented.
            guard fire < CronExpression.lastRepresentableSecond else { return nil }
            guard let next = transition, fire >= next.instant.secondsSinceEpoch else {
                var adjustment: DSTAdjustment?
                if skipsRepeats, let next = transition, next.isFold,
                    local >= next.instant.secondsSinceEpoch + Int64(next.offsetAfter.seconds)
                {
                    adjustment = .firstOfRepeated(local: CivilDateTime(localSecondsSinceEpoch: local))
                }
                return CronFire(instant: Instant(secondsSinceEpoch: fire), adjustment: adjustment)
            }
            let boundary = next.instant.secondsSinceEpoch
            let before = Int64(next.offsetBefore.seconds)
            let after = Int64(next.offsetAfter.seconds)
            // `local` ≥ boundary + before here, so it lies in the skipped readings exactly when it
            // is below boundary + after.
            if next.isGap && policy.gap == .shift && local < boundary + after {
                return CronFire(
                    instant: next.instant,
                    adjustment: .shiftedOutOfGap(local: CivilDateTime(localSecondsSinceEpoch: local))
                )
            }
            offset = after
            lowerLocal = boundary + (next.isFold && skipsRepeats ? before : after)
            transition = zone.nextTransition(after: next.instant)
        }
    }
}
