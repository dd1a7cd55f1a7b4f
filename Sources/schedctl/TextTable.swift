/// A plain-text table with aligned columns; cells may carry a colour that does not count towards
/// the column width (escape sequences are added after padding).
struct TextTable {
    struct Cell {
        var text: String
        var color: TerminalStyle.Color?
        /// Display width in characters, computed once (tables of 10,000 jobs are rendered).
        var width: Int

        init(_ text: String, _ color: TerminalStyle.Color? = nil) {
            self.text = text
            self.color = color
            // ASCII (ids, triggers, times) is one column per byte; otherwise count characters.
            let bytes = text.utf8.count
            width = text.utf8.allSatisfy { $0 < 0x80 } ? bytes : text.count
        }
    }

    var header: [String]
    var rows: [[Cell]] = []

    init(header: [String]) {
        self.header = header
    }

    /// The table as lines (header first), columns separated by two spaces, no trailing spaces.
    func render(style: TerminalStyle) -> String {
        let headerCells = header.map { Cell($0, .bold) }
        var widths = headerCells.map(\.width)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.width)
            }
        }
        let totalBytes = (rows.count + 1) * (widths.reduce(0, +) + 2 * widths.count + 1)
        var text = ""
        text.reserveCapacity(totalBytes + (style.colors ? rows.count * 20 : 0))
        append(headerCells, widths: widths, style: style, to: &text)
        for row in rows {
            text.append("\n")
            append(row, widths: widths, style: style, to: &text)
        }
        return text
    }

    private func append(_ cells: [Cell], widths: [Int], style: TerminalStyle, to text: inout String) {
        // Trailing empty cells would leave the padding of the one before them dangling.
        var last = cells.count - 1
        while last > 0 && cells[last].text.isEmpty { last -= 1 }
        for column in 0...max(0, last) where column < cells.count {
            let cell = cells[column]
            text.append(style.paint(cell.text, cell.color))
            if column < last {
                text.append(String(repeating: " ", count: max(0, widths[column] - cell.width) + 2))
            }
        }
    }
}
