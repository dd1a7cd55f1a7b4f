import SchedCron
import SchedTime
import TOML

// MARK: - DST notes
//
// For each DST transition of a cron job's zone in the 12 months after `now`, one note when a
// firing is affected: a match inside a spring-forward gap, or one inside the repeated hour of a
// fall-back. Rather than walking a year of firings (525,600 for `* * * * *`), ask the engine for
// the first firing around each transition: one or two `next` calls per transition, a few per job.
// Jobs sharing an expression, zone and policy share the computed notes (only the id differs).

/// A DST note with a hole for the job id: `before + "'id'" + after`.
struct DSTNote: Hashable {
    var before: String
    var after: String

    func message(id: String) -> String {
        "\(before)'\(id)'\(after)"
    }
}

/// What DST notes depend on besides the job id.
struct DSTNoteKey: Hashable {
    var expression: String
    var zone: String
    var policy: DSTPolicy
}

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
        // `H` expressions depend on the id, so only texts without it can share notes.
        let shareable = ConfigBuilder.cronTextIgnoresID(expression.source)
        let key = DSTNoteKey(expression: expression.source, zone: zone.identifier, policy: policy)
        let notes: [DSTNote]
        if shareable, let cached = dstNoteCache[key] {
            notes = cached
        } else {
            notes = dstNotes(expression: expression, zone: zone, policy: policy)
            if shareable { dstNoteCache[key] = notes }
        }
        for dstNote in notes {
            note(dstNote.message(id: id), at: value.position, source)
        }
    }

    /// The notes for the transitions of `zone` within the horizon, in time order.
    private func dstNotes(expression: CronExpression, zone: Zone, policy: DSTPolicy) -> [DSTNote] {
        let horizon = now + ConfigBuilder.dstNoteHorizon
        var cursor = now
        var notes: [DSTNote] = []
        // Real zones change at most a few times a year; the bound only guards odd data.
        for _ in 0..<16 {
            guard let transition = zone.nextTransition(after: cursor), transition.instant <= horizon else { break }
            cursor = transition.instant
            let note: DSTNote?
            if transition.isGap {
                note = gapNote(expression: expression, zone: zone, policy: policy, transition: transition)
            } else if transition.isFold {
                note = foldNote(expression: expression, zone: zone, policy: policy, transition: transition)
            } else {
                note = nil
            }
            if let note { notes.append(note) }
        }
        return notes
    }

    /// A firing inside the gap shows up as a shifted firing at the transition instant; under `skip`
    /// the same probe with `shift` tells whether anything was dropped.
    private func gapNote(
        expression: CronExpression,
        zone: Zone,
        policy: DSTPolicy,
        transition: ZoneTransition
    ) -> DSTNote? {
        let probe = DSTPolicy(gap: .shift, repeated: policy.repeated)
        guard let fire = expression.next(after: transition.instant - .nanoseconds(1), in: zone, policy: probe),
            fire.instant == transition.instant, case .shiftedOutOfGap(let local)? = fire.adjustment
        else { return nil }
        let head = "on \(ConfigText.date(local)) \(ConfigText.clock(local)) does not exist in \(zone.identifier); "
        switch policy.gap {
        case .shift:
            let after = zone.localTime(at: transition.instant)
            return DSTNote(
                before: head,
                after: " runs at \(ConfigText.clock(after)) (\(transition.offsetAfter)) instead (dst_gap = shift)"
            )
        case .skip:
            return DSTNote(before: head, after: " does not run then (dst_gap = skip)")
        }
    }

    /// The repeated wall-clock hour first passes in `[transition - length, transition)`; a firing
    /// there is a local time that occurs twice.
    private func foldNote(
        expression: CronExpression,
        zone: Zone,
        policy: DSTPolicy,
        transition: ZoneTransition
    ) -> DSTNote? {
        let length = Duration.seconds(Int64(transition.offsetBefore.seconds - transition.offsetAfter.seconds))
        let firstPass = transition.instant - length
        guard let fire = expression.next(after: firstPass - .nanoseconds(1), in: zone, policy: policy),
            fire.instant < transition.instant
        else { return nil }
        let local = zone.localTime(at: fire.instant)
        let head = "on \(ConfigText.date(local)) \(ConfigText.clock(local)) occurs twice in \(zone.identifier); "
        switch policy.repeated {
        case .first:
            return DSTNote(before: head, after: " runs only at the first (dst_repeat = first)")
        case .both:
            return DSTNote(before: head, after: " runs at both (dst_repeat = both)")
        }
    }
}
