/// The logfmt and JSON encodings of one event's fields (see the design note in Logger.swift).
enum LogEncoding {
    /// `key=value key2="quoted value"`.
    static func logfmt(_ fields: [(key: String, value: LogValue)]) -> String {
        fields.compactMap { field in
            // An absent fact is left out rather than written as an empty string.
            field.value == .null ? nil : "\(sanitizedKey(field.key))=\(logfmtValue(field.value.text))"
        }.joined(separator: " ")
    }

    /// `{"key":"value","n":1}` with JSON types for numbers, booleans and null.
    static func json(_ fields: [(key: String, value: LogValue)]) -> String {
        let members = fields.map { field in
            let value: String
            switch field.value {
            case .string(let string): value = jsonString(string)
            case .integer(let integer): value = String(integer)
            case .double(let double): value = double.isFinite ? String(double) : jsonString(String(double))
            case .bool(let bool): value = bool ? "true" : "false"
            case .null: value = "null"
            }
            return "\(jsonString(field.key)):\(value)"
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    // MARK: - logfmt

    /// Keys are written bare; characters that would break the `key=value` shape become `_`.
    static func sanitizedKey(_ key: String) -> String {
        if key.isEmpty { return "_" }
        return String(
            String.UnicodeScalarView(
                key.unicodeScalars.map { scalar in
                    scalar.value <= 0x20 || scalar == "=" || scalar == "\"" || scalar.value == 0x7F ? "_" : scalar
                }
            )
        )
    }

    static func logfmtValue(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains { scalar in
                scalar == " " || scalar == "=" || scalar == "\"" || scalar == "\\" || scalar.value < 0x20
                    || scalar.value == 0x7F
            }
        guard needsQuotes else { return value }
        return "\"" + escaped(value) + "\""
    }

    // MARK: - JSON

    static func jsonString(_ value: String) -> String {
        "\"" + escaped(value) + "\""
    }

    /// Backslash escapes shared by quoted logfmt values and JSON strings (a JSON-compatible subset).
    private static func escaped(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
