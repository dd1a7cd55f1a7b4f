// API skeleton: parsing and formatting are being implemented.

/// Why a duration text like `"1h30m"` could not be read.
public struct DurationParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong (`unknown unit 'x'`, `a duration needs a unit, e.g. "90s"`).
    public var message: String
    /// 1-based column (in Unicode scalars) within the text where the problem starts.
    public var column: Int

    public init(message: String, column: Int) {
        self.message = message
        self.column = column
    }

    public var description: String { message }
}

/// Durations as users write them: `"250ms"`, `"90s"`, `"5m"`, `"1h30m"`, `"2d"`.
public enum DurationText {
    /// Parses a sequence of `<number><unit>` parts (units `ms`, `s`, `m`, `h`, `d`, `w`).
    public static func parse(_ text: String) throws(DurationParseError) -> Duration {
        throw DurationParseError(message: "duration parsing not implemented yet", column: 1)
    }

    /// The shortest text that `parse` reads back as `duration` (`"1h30m"`, `"250ms"`, `"0s"`).
    public static func format(_ duration: Duration) -> String {
        "\(duration)"
    }
}
