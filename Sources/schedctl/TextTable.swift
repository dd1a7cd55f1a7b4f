/// A plain-text table with aligned columns; cells may carry a colour that does not count towards
/// the column width (escape sequences are added after padding).
struct TextTable {
    struct Cell {
        var text: String
        var color: TerminalStyle.Color?

        init(_ text: String, _ color: TerminalStyle.Color? = nil) {
            self.text = text
            self.color = color
        }
    }

    var header: [String]
    var rows: [[Cell]] = []

    init(header: [String]) {
        self.header = header
    }

    /// The table as lines (header first), columns separated by two spaces, no trailing spaces.
    func render(style: TerminalStyle) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.text.count)
            }
        }
        var lines: [String] = []
        lines.reserveCapacity(rows.count + 1)
        lines.append(line(header.map { Cell($0, .bold) }, widths: widths, style: style))
        for row in rows {
            lines.append(line(row, widths: widths, style: style))
        }
        return lines.joined(separator: "\n")
    }

    private func line(_ cells: [Cell], widths: [Int], style: TerminalStyle) -> String {
        var text = ""
        for (column, cell) in cells.enumerated() {
            let isLast = column == cells.count - 1
            text += style.paint(cell.text, cell.color)
            if !isLast {
                text += String(repeating: " ", count: max(0, widths[column] - cell.text.count) + 2)
            }
        }
        // An empty last cell would leave the padding of the one before it dangling.
        while text.last == " " { text.removeLast() }
        return text
    }
}
