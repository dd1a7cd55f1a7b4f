/// Writes a `TOMLTable` back out as a TOML 1.0 document.
///
/// The output is canonical rather than a copy of the source: within each table, plain values come
/// first as `key = value` lines, then sub-tables as `[a.b]` sections and arrays of tables as
/// `[[a.b]]` sections (inline tables become sections too); tables inside mixed arrays are written
/// inline. Decoding the output yields the same values — positions aside, and with plain values
/// moved before sub-tables within each table — and encoding that again yields the same text, so
/// decode → encode → decode is a fixed point, the property round-trip fuzzing relies on.
public enum TOMLEncoder {
    /// The document text for `table`, ending in a newline when non-empty.
    public static func encode(_ table: TOMLTable) -> String {
        var output = ""
        writeBody(of: table, path: [], into: &output)
        return output
    }

    /// `value` as an inline TOML value (`"text"`, `42`, `[1, 2]`, `{ a = 1 }`, …).
    public static func encode(_ value: TOMLValue) -> String {
        var output = ""
        writeInline(value, into: &output)
        return output
    }

    // MARK: - Tables

    private static func writeBody(of table: TOMLTable, path: [String], into output: inout String) {
        for entry in table.entries where !isSection(entry.value) {
            output += TOMLKeyFormatting.display(entry.key)
            output += " = "
            writeInline(entry.value, into: &output)
            output += "\n"
        }
        for entry in table.entries {
            let childPath = path + [TOMLKeyFormatting.display(entry.key)]
            switch entry.value.kind {
            case .table(let child):
                if !output.isEmpty { output += "\n" }
                output += "[" + childPath.joined(separator: ".") + "]\n"
                writeBody(of: child, path: childPath, into: &output)
            case .array(let elements) where isArrayOfTables(elements):
                for element in elements {
                    guard case .table(let child) = element.kind else { continue }
                    if !output.isEmpty { output += "\n" }
                    output += "[[" + childPath.joined(separator: ".") + "]]\n"
                    writeBody(of: child, path: childPath, into: &output)
                }
            default:
                continue
            }
        }
    }

    /// Whether a value is written as its own `[section]` rather than on a `key = value` line.
    private static func isSection(_ value: TOMLValue) -> Bool {
        switch value.kind {
        case .table: return true
        case .array(let elements): return isArrayOfTables(elements)
        default: return false
        }
    }

    private static func isArrayOfTables(_ elements: [TOMLValue]) -> Bool {
        guard !elements.isEmpty else { return false }
        return elements.allSatisfy {
            if case .table = $0.kind { return true }
            return false
        }
    }

    // MARK: - Inline values

    private static func writeInline(_ value: TOMLValue, into output: inout String) {
        switch value.kind {
        case .string(let text): output += TOMLKeyFormatting.quoted(text)
        case .integer(let number): output += String(number)
        case .float(let number): output += format(number)
        case .boolean(let flag): output += flag ? "true" : "false"
        case .dateTime(let dateTime): output += dateTime.description
        case .localDate(let date): output += date.description
        case .localTime(let time): output += time.description
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += ", " }
                writeInline(element, into: &output)
            }
            output += "]"
        case .table(let table):
            guard !table.entries.isEmpty else {
                output += "{}"
                return
            }
            output += "{ "
            for (index, entry) in table.entries.enumerated() {
                if index > 0 { output += ", " }
                output += TOMLKeyFormatting.display(entry.key) + " = "
                writeInline(entry.value, into: &output)
            }
            output += " }"
        }
    }

    /// Swift's shortest round-tripping form is valid TOML (`1.5`, `1e+300`, `5e-324`); the
    /// special values use TOML's spellings.
    private static func format(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return String(number)
    }
}
