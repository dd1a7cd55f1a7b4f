public import SchedTime

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
