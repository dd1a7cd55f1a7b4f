// API skeleton: the parser and next-fire engine are being implemented. The public surface below
// is what other modules code against.

public import SchedTime

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

/// A parsed cron expression.
public struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    /// The text as given, including any `CRON_TZ=` prefix.
    public let source: String
    /// The zone named by a `CRON_TZ=` / `TZ=` prefix, if any (not loaded: the caller resolves it).
    public let zoneName: String?
    /// True for `@reboot`, which has no fire times: it fires once when the daemon starts.
    public let isReboot: Bool

    /// Parses `text`. `hashSeed` (usually the job id) gives `H` fields their stable value; without
    /// it, `H` is an error.
    public init(parsing text: String, hashSeed: String? = nil) throws(CronParseError) {
        throw CronParseError(message: "cron parser not implemented yet", expression: text, column: 1)
    }

    /// True when neither the minute nor the hour field starts with `*` (see ARCHITECTURE.md).
    public var isFixedTime: Bool { false }

    /// `DSTPolicy.fixedTime` for fixed-time expressions, `DSTPolicy.wallClock` otherwise.
    public var defaultDSTPolicy: DSTPolicy { isFixedTime ? .fixedTime : .wallClock }

    /// The first fire time strictly after `instant` in `zone` (the prefix zone, when there is one,
    /// must already be resolved by the caller and passed here). `nil` when it never fires within
    /// 100 years, and always for `@reboot`.
    public func next(after instant: Instant, in zone: Zone, policy: DSTPolicy? = nil) -> CronFire? {
        nil
    }

    public var description: String { source }
}

/// A cron expression that cannot be parsed: what is wrong and at which column.
public struct CronParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong (`minute value 61 is out of range 0-59`).
    public var message: String
    /// The expression as given.
    public var expression: String
    /// 1-based column (in Unicode scalars) in `expression` where the problem starts.
    public var column: Int
    /// How many characters the problem spans (for `^~~~` underlining); at least 1.
    public var length: Int

    public init(message: String, expression: String, column: Int, length: Int = 1) {
        self.message = message
        self.expression = expression
        self.column = column
        self.length = max(1, length)
    }

    /// `error: message`, the expression, and a caret line under the offending column.
    public var description: String {
        let caret = String(repeating: " ", count: max(0, column - 1)) + "^" + String(repeating: "~", count: length - 1)
        return "error: \(message)\n  \(expression)\n  \(caret)"
    }
}
