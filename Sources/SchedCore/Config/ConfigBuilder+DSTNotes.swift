import SchedCron
import SchedTime
import TOML

// MARK: - DST notes
//
// For each DST transition of a cron job's zone in the 12 months after `now`, one note when a
// firing is affected: a match inside a spring-forward gap, or one inside the repeated hour of a
// fall-back. Rather than walking a year of firings (525,600 for `* * * * *`), ask the engine for
// the first firing around each transition: two `next` calls per transition, a few per job.

extension ConfigBuilder {
    /// How far ahead DST notes look.
    static let dstNoteHorizon = Duration.seconds(366 * 86_400)

    mutating func addDSTNotes(
        id: String,
        expression: CronExpression,
        zone: Zone,
        policy: DSTPolicy,
        at value: TOMLValue,
        _ source: SourceText
    ) {
        guard !expression.isReboot else { return }
        let horizon = now + ConfigBuilder.dstNoteHorizon
        var cursor = now
        // Real zones change at most a few times a year; the bound only guards odd data.
        for _ in 0..<16 {
            guard let transition = zone.nextTransition(after: cursor), transition.instant <= horizon else { return }
            cursor = transition.instant
            let message: String?
            if transition.isGap {
                message = gapNote(id: id, expression: expression, zone: zone, policy: policy, transition: transition)
            } else if transition.isFold {
                message = foldNote(id: id, expression: expression, zone: zone, policy: policy, transition: transition)
            } else {
                message = nil
            }
            if let message { note(message, at: value.position, source) }
        }
    }

    /// A firing inside the gap shows up as a shifted firing at the transition instant; under `skip`
    /// the same probe with `shift` tells whether anything was dropped.
    private func gapNote(
        id: String,
        expression: CronExpression,
        zone: Zone,
        policy: DSTPolicy,
        transition: ZoneTransition
    ) -> String? {
        let probe = DSTPolicy(gap: .shift, repeated: policy.repeated)
        guard let fire = expression.next(after: transition.instant - .nanoseconds(1), in: zone, policy: probe),
            fire.instant == transition.instant, case .shiftedOutOfGap(let local)? = fire.adjustment
        else { return nil }
        let head = "on \(ConfigText.date(local)) \(ConfigText.clock(local)) does not exist in \(zone.identifier)"
        switch policy.gap {
        case .shift:
            let after = zone.localTime(at: transition.instant)
            return "\(head); '\(id)' runs at \(ConfigText.clock(after)) (\(transition.offsetAfter)) instead "
                + "(dst_gap = shift)"
        case .skip:
            return "\(head); '\(id)' does not run then (dst_gap = skip)"
        }
    }

    /// The repeated wall-clock hour first passes in `[transition - length, transition)`; a firing
    /// there is a local time that occurs twice.
    private func foldNote(
        id: String,
        expression: CronExpression,
        zone: Zone,
        policy: DSTPolicy,
        transition: ZoneTransition
    ) -> String? {
        let length = Duration.seconds(Int64(transition.offsetBefore.seconds - transition.offsetAfter.seconds))
        let firstPass = transition.instant - length
        guard let fire = expression.next(after: firstPass - .nanoseconds(1), in: zone, policy: policy),
            fire.instant < transition.instant
        else { return nil }
        let local = zone.localTime(at: fire.instant)
        let head = "on \(ConfigText.date(local)) \(ConfigText.clock(local)) occurs twice in \(zone.identifier)"
        switch policy.repeated {
        case .first:
            return "\(head); '\(id)' runs only at the first (dst_repeat = first)"
        case .both:
            return "\(head); '\(id)' runs at both (dst_repeat = both)"
        }
    }
}
