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
