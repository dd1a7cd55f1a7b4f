/// An offset from UTC in whole seconds (positive east of Greenwich).
public struct UTCOffset: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds east of UTC; real zones stay within about ±15 hours.
    public var seconds: Int32

    public init(seconds: Int32) { self.seconds = seconds }

    /// `hours` and `minutes` east of UTC; pass negative values for both west of Greenwich.
    public init(hours: Int, minutes: Int = 0) {
        self.seconds = Int32(hours * 3600 + minutes * 60)
    }

    public static let zero = UTCOffset(seconds: 0)

    public static func < (lhs: UTCOffset, rhs: UTCOffset) -> Bool { lhs.seconds < rhs.seconds }

    /// `+HH:MM` (or `+HH:MM:SS` when the offset has seconds, as some historical zones do).
    public var description: String {
        let sign = seconds < 0 ? "-" : "+"
        let magnitude = Int(abs(seconds))
        var text = "\(sign)\(pad(magnitude / 3600, 2)):\(pad(magnitude / 60 % 60, 2))"
        if magnitude % 60 != 0 { text += ":\(pad(magnitude % 60, 2))" }
        return text
    }
}

/// A change of a zone's UTC offset at an instant.
public struct ZoneTransition: Hashable, Sendable {
    /// The first instant at which `offsetAfter` applies.
    public var instant: Instant
    /// The offset in force until just before `instant`.
    public var offsetBefore: UTCOffset
    /// The offset in force from `instant` on; always different from `offsetBefore`.
    public var offsetAfter: UTCOffset

    public init(instant: Instant, offsetBefore: UTCOffset, offsetAfter: UTCOffset) {
        self.instant = instant
        self.offsetBefore = offsetBefore
        self.offsetAfter = offsetAfter
    }

    /// The clock jumps forward: local readings in `[instant+before, instant+after)` never occur.
    public var isGap: Bool { offsetAfter > offsetBefore }
    /// The clock falls back: local readings in `[instant+after, instant+before)` occur twice.
    public var isFold: Bool { offsetAfter < offsetBefore }

    /// The first skipped (for a gap) or repeated (for a fold) wall-clock reading.
    public var localStart: CivilDateTime {
        CivilDateTime(localSecondsSinceEpoch: instant.secondsSinceEpoch + Int64(min(offsetBefore, offsetAfter).seconds))
    }

    /// The first reading after the skipped or repeated span: the new offset's reading of `instant`
    /// for a gap, the old offset's reading for a fold.
    public var localEnd: CivilDateTime {
        CivilDateTime(localSecondsSinceEpoch: instant.secondsSinceEpoch + Int64(max(offsetBefore, offsetAfter).seconds))
    }
}

/// How a wall-clock reading maps onto real instants in a zone.
public enum LocalTimeResolution: Hashable, Sendable {
    /// The reading occurs exactly once.
    case unique(Instant)
    /// The reading does not exist: the clock jumped over it. The gap ends at `transition.instant`,
    /// the first real instant after the skipped readings.
    case skipped(ZoneTransition)
    /// The reading occurs twice (a fall-back fold): first under the earlier offset, then the later.
    case repeated(first: Instant, second: Instant)
}
