/// What to do with a cron match that falls into a spring-forward gap.
public enum DSTGapPolicy: String, Hashable, Sendable, CaseIterable {
    /// Fire at the first instant after the gap (several matches in one gap fire once).
    case shift
    /// Do not fire: the wall-clock time does not exist that day.
    case skip
}

/// What to do with a cron match whose wall-clock time occurs twice (a fall-back fold).
public enum DSTRepeatPolicy: String, Hashable, Sendable, CaseIterable {
    /// Fire only at the first occurrence.
    case first
    /// Fire at both occurrences.
    case both
}

/// The DST policy of one cron trigger.
public struct DSTPolicy: Hashable, Sendable {
    public var gap: DSTGapPolicy
    public var repeated: DSTRepeatPolicy

    public init(gap: DSTGapPolicy, repeated: DSTRepeatPolicy) {
        self.gap = gap
        self.repeated = repeated
    }

    /// Cronie's rule for fixed-time expressions: shift out of gaps, fire once in folds.
    public static let fixedTime = DSTPolicy(gap: .shift, repeated: .first)
    /// Plain wall-clock matching, for wildcard expressions: skip gaps, fire in both passes.
    public static let wallClock = DSTPolicy(gap: .skip, repeated: .both)
}
