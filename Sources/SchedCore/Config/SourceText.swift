/// The bytes of one config file, with the line lookups diagnostics need.
///
/// Line starts are found once, on the first diagnostic, so a clean 10,000-job file pays nothing.
final class SourceText {
    /// The path used in diagnostics.
    let path: String
    let bytes: [UInt8]
    private var lineStarts: [Int]?

    /// Source lines longer than this many scalars are shown as a window around the caret.
    static let displayWidth = 160

    init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// The text of 1-based `line` without its line break; invalid UTF-8 shows as U+FFFD.
    func line(_ line: Int) -> String? {
        // Several diagnostics often point into one line (a job's DST notes).
        if let lastLine, lastLine.number == line { return lastLine.text }
        let text = readLine(line)
        lastLine = text.map { (line, $0) }
        return text
    }

    private var lastLine: (number: Int, text: String)?

    private func readLine(_ line: Int) -> String? {
        let starts = computeLineStarts()
        guard line >= 1, line <= starts.count else { return nil }
        let start = starts[line - 1]
        var end = line < starts.count ? starts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// A diagnostic at `line`:`column` of this file, carrying the (windowed) source line.
    func diagnostic(
        _ severity: ConfigDiagnostic.Severity,
        _ message: String,
        line: Int,
        column: Int
    ) -> ConfigDiagnostic {
        let location = SourceLocation(file: path, line: line, column: column)
        guard let text = self.line(line) else {
            return ConfigDiagnostic(severity, message, at: location)
        }
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > SourceText.displayWidth else {
            return ConfigDiagnostic(severity, message, at: location, sourceLine: text)
        }
        // Keep the caret about a quarter of the way into the window.
        let first = max(0, min(column - 1 - SourceText.displayWidth / 4, scalars.count - SourceText.displayWidth))
        let last = min(scalars.count, first + SourceText.displayWidth)
        var window = String.UnicodeScalarView()
        window.append(contentsOf: scalars[first..<last])
        let prefix = first > 0 ? "…" : ""
        let suffix = last < scalars.count ? "…" : ""
        return ConfigDiagnostic(
            severity,
            message,
            at: location,
            sourceLine: prefix + String(window) + suffix,
            caretColumn: column - first + (first > 0 ? 1 : 0)
        )
    }

    private func computeLineStarts() -> [Int] {
        if let lineStarts { return lineStarts }
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(index + 1)
        }
        lineStarts = starts
        return starts
    }
}
