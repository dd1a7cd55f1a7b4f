#if canImport(Glibc)
    import Glibc
#endif

/// Whether and how to colour output: only when stdout is a terminal and `NO_COLOR` is not set to a
/// non-empty value (https://no-color.org).
struct TerminalStyle {
    var colors: Bool

    static let plain = TerminalStyle(colors: false)

    /// The style for this process's stdout and environment.
    static func forStandardOutput(environment: [String: String]) -> TerminalStyle {
        TerminalStyle(colors: decide(isTerminal: isatty(1) == 1, environment: environment))
    }

    static func decide(isTerminal: Bool, environment: [String: String]) -> Bool {
        guard isTerminal else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    enum Color: String {
        case green = "32"
        case red = "31"
        case yellow = "33"
        case cyan = "36"
        case dim = "2"
        case bold = "1"
    }

    /// `text` wrapped in an SGR sequence when colours are on.
    func paint(_ text: String, _ color: Color?) -> String {
        guard colors, let color, !text.isEmpty else { return text }
        return "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m"
    }
}
