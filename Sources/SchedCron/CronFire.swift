public import SchedTime

/// How the DST policy changed a firing, so tools can explain it.
public enum DSTAdjustment: Hashable, Sendable {
    /// The matched wall-clock time `local` did not exist; the firing moved to the end of the gap.
    case shiftedOutOfGap(local: CivilDateTime)
    /// The matched wall-clock time `local` occurs twice that day; only this first one fires.
    case firstOfRepeated(local: CivilDateTime)
}

/// One fire time computed by `CronExpression.next(after:in:policy:)`.
public struct CronFire: Hashable, Sendable {
    public var instant: Instant
    /// Non-nil when the DST policy moved or de-duplicated this firing.
    public var adjustment: DSTAdjustment?

    public init(instant: Instant, adjustment: DSTAdjustment? = nil) {
        self.instant = instant
        self.adjustment = adjustment
    }
}

extension DSTAdjustment {
    /// A sentence for people, e.g. `02:30 does not exist on this day; shifted to the end of the DST
    /// gap`. The reading is `HH:MM`, with `:SS` when the seconds are not zero.
    public var explanation: String {
        switch self {
        case .shiftedOutOfGap(let local):
            "\(DSTAdjustment.clockText(local)) does not exist on this day; shifted to the end of the DST gap"
        case .firstOfRepeated(let local):
            "\(DSTAdjustment.clockText(local)) occurs twice on this day; fires only at the first occurrence"
        }
    }

    private static func clockText(_ local: CivilDateTime) -> String {
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let text = "\(twoDigits(local.hour)):\(twoDigits(local.minute))"
        return local.second == 0 ? text : text + ":\(twoDigits(local.second))"
    }
}

extension CronFire {
    /// One line of `schedctl next` output: the instant in RFC 3339 with `zone`'s offset at that
    /// instant, then, when the DST policy moved or de-duplicated it, two spaces and the
    /// explanation in parentheses. The first whitespace-separated field is always the instant.
    public func line(in zone: Zone) -> String {
        let time = RFC3339.format(instant, offset: zone.offset(at: instant))
        guard let adjustment else { return time }
        return "\(time)  (\(adjustment.explanation))"
    }
}
