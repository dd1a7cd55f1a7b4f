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
