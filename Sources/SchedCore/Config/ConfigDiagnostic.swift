/// A place in a config file: the file as it was named, plus a 1-based line and column.
///
/// `line == 0` means the problem concerns the whole file (it could not be read, an include pattern
/// matched nothing), and rendering leaves the line and column out.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The path as the loader was given it or built it (`schedules.d/10-backup.toml`).
    public var file: String
    public var line: Int
    /// Counted in Unicode scalars, like `TOMLPosition.column`.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }

    /// `file:line:column`, or just `file` for a whole-file location.
    public var description: String {
        line > 0 ? "\(file):\(line):\(column)" : file
    }
}

/// One finding of config validation, rendered the way the Swift compiler renders its diagnostics:
///
///     schedules.toml:12:17: error: unknown weekday 'Mnd' in 'cron'
///     cron = "0 9 * * Mnd"
///                     ^
///
/// Validation collects every diagnostic in one pass, so a user fixes a whole file in one edit.
public struct ConfigDiagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable, Comparable {
        /// The config cannot be used.
        case error
        /// The config works, but probably not as intended.
        case warning
        /// Information about how the config will behave (DST adjustments, the other half of a conflict).
        case note

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs.rank < rhs.rank
        }

        private var rank: Int {
            switch self {
            case .error: return 0
            case .warning: return 1
            case .note: return 2
            }
        }
    }

    public var severity: Severity
    public var location: SourceLocation
    /// The sentence the user reads, without location or severity.
    public var message: String
    /// The text of the line `location` points into (without its newline), when there is one. Very
    /// long lines are cut to a window around the column, so a caret still lines up.
    public var sourceLine: String?
    /// The column of the caret within `sourceLine` (differs from `location.column` when the line was cut).
    public var caretColumn: Int

    public init(
        _ severity: Severity,
        _ message: String,
        at location: SourceLocation,
        sourceLine: String? = nil,
        caretColumn: Int? = nil
    ) {
        self.severity = severity
        self.message = message
        self.location = location
        self.sourceLine = sourceLine
        self.caretColumn = caretColumn ?? location.column
    }

    /// The one-line header: `file:line:column: severity: message`.
    public var headline: String {
        "\(location): \(severity.rawValue): \(message)"
    }

    /// The headline, then (when known) the source line and a caret under the column.
    ///
    /// Tabs before the column are copied into the caret line so the caret lines up in a terminal.
    public var description: String {
        guard let sourceLine, location.line > 0 else { return headline }
        var caret = ""
        var index = 1
        for scalar in sourceLine.unicodeScalars {
            guard index < caretColumn else { break }
            caret.unicodeScalars.append(scalar == "\t" ? "\t" : " ")
            index += 1
        }
        caret += String(repeating: " ", count: max(0, caretColumn - index)) + "^"
        return "\(headline)\n\(sourceLine)\n\(caret)"
    }
}
