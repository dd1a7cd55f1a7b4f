// The probe's report: one JSON object on one line, written to stdout just before the probe exits.
//
//   {"ok":false,"http_status":503,"latency_ms":12,"reason_kind":"status",
//    "reason":"unexpected status 503","body_excerpt":"maintenance"}
//
// Field names follow the run object (`http_status`, `latency_ms`). Absent facts are `null`. SchedCore
// has no Foundation, so the encoder and the (flat, strict) decoder are written out here; the decoder
// ignores unknown keys so a newer probe can add fields without breaking an older daemon.

extension ProbeResult {
    /// The report as one line of JSON, without the trailing newline.
    public var jsonLine: String {
        var fields: [String] = []
        fields.append("\"ok\":\(isOK)")
        fields.append("\"http_status\":" + (httpStatus.map(String.init) ?? "null"))
        fields.append("\"latency_ms\":" + (latencyMilliseconds.map(String.init) ?? "null"))
        fields.append("\"reason_kind\":" + JSONText.quoted(failure?.rawValue))
        fields.append("\"reason\":" + JSONText.quoted(reason))
        fields.append("\"body_excerpt\":" + JSONText.quoted(bodyExcerpt))
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Reads a report line back; nil when `line` is not a valid report (a crashed or foreign probe).
    ///
    /// A report is valid when it is a JSON object with a boolean `ok`, and `ok` agrees with
    /// `reason_kind` (present exactly when `ok` is false, and one of the known kinds).
    public init?(jsonLine line: some StringProtocol) {
        guard let object = JSONText.parseFlatObject(String(line)) else { return nil }
        guard case .bool(let ok)? = object["ok"] else { return nil }
        var result = ProbeResult()
        switch object["reason_kind"] {
        case .string(let kind)?:
            guard !ok, let failure = FailureKind(rawValue: kind) else { return nil }
            result.failure = failure
        case .null?, nil:
            guard ok else { return nil }
        default:
            return nil
        }
        func integer(_ key: String) -> Int64?? {
            switch object[key] {
            case .integer(let value)?: .some(value)
            case .null?, nil: .some(nil)
            default: nil
            }
        }
        func string(_ key: String) -> String?? {
            switch object[key] {
            case .string(let value)?: .some(value)
            case .null?, nil: .some(nil)
            default: nil
            }
        }
        guard let status = integer("http_status"), let latency = integer("latency_ms"),
            let reason = string("reason"), let excerpt = string("body_excerpt")
        else { return nil }
        result.httpStatus = status.flatMap { Int(exactly: $0) }
        result.latency = latency.map { .milliseconds($0) }
        result.reason = reason
        result.bodyExcerpt = excerpt
        self = result
    }
}

/// Minimal JSON for the probe report: string quoting, and a parser for one flat object whose values
/// are strings, integers, booleans or null.
enum JSONText {
    enum Value: Equatable {
        case string(String)
        case integer(Int64)
        case bool(Bool)
        case null
    }

    /// `text` as a JSON string literal, or `null`.
    static func quoted(_ text: String?) -> String {
        guard let text else { return "null" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value):
                // Control characters (and the JavaScript line separators) never appear raw, so the
                // report stays on one line whatever the body holds.
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Parses `{"key": value, …}` with flat values; nil on any syntax error, a duplicate key or a
    /// nested value.
    static func parseFlatObject(_ text: String) -> [String: Value]? {
        var parser = FlatParser(scalars: Array(text.unicodeScalars))
        return parser.object()
    }

    /// A recursive-descent reader over Unicode scalars. Grammar (RFC 8259, flat subset):
    ///   object = ws "{" ws [ member *( ws "," ws member ) ] ws "}" ws
    ///   member = string ws ":" ws value
    ///   value  = string / integer / "true" / "false" / "null"
    private struct FlatParser {
        let scalars: [Unicode.Scalar]
        var index = 0

        mutating func object() -> [String: Value]? {
            skipWhitespace()
            guard take("{") else { return nil }
            var members: [String: Value] = [:]
            skipWhitespace()
            if !take("}") {
                repeat {
                    skipWhitespace()
                    guard let key = string() else { return nil }
                    skipWhitespace()
                    guard take(":") else { return nil }
                    skipWhitespace()
                    guard let value = value(), members[key] == nil else { return nil }
                    members[key] = value
                    skipWhitespace()
                } while take(",")
                guard take("}") else { return nil }
            }
            skipWhitespace()
            return index == scalars.count ? members : nil
        }

        mutating func value() -> Value? {
            guard index < scalars.count else { return nil }
            switch scalars[index] {
            case "\"": return string().map(Value.string)
            case "t": return literal("true") ? .bool(true) : nil
            case "f": return literal("false") ? .bool(false) : nil
            case "n": return literal("null") ? .null : nil
            default: return integer().map(Value.integer)
            }
        }

        mutating func integer() -> Int64? {
            var digits = ""
            if take("-") { digits = "-" }
            while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                digits.unicodeScalars.append(scalars[index])
                index += 1
            }
            // A fraction or exponent is not an integer: reject rather than truncate.
            if index < scalars.count, [".", "e", "E"].contains(scalars[index]) { return nil }
            return Int64(digits)
        }

        mutating func string() -> String? {
            guard take("\"") else { return nil }
            var out = String.UnicodeScalarView()
            while index < scalars.count {
                let scalar = scalars[index]
                index += 1
                switch scalar {
                case "\"":
                    return String(out)
                case "\\":
                    guard index < scalars.count else { return nil }
                    let escape = scalars[index]
                    index += 1
                    switch escape {
                    case "\"", "\\", "/": out.append(escape)
                    case "b": out.append("\u{08}")
                    case "f": out.append("\u{0C}")
                    case "n": out.append("\n")
                    case "r": out.append("\r")
                    case "t": out.append("\t")
                    case "u":
                        guard let scalar = unicodeEscape() else { return nil }
                        out.append(scalar)
                    default: return nil
                    }
                case _ where scalar.value < 0x20:
                    return nil
                default:
                    out.append(scalar)
                }
            }
            return nil
        }

        /// After `\u`: four hex digits, or a surrogate pair written as two escapes.
        mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let high = hex4() else { return nil }
            if (0xD800...0xDBFF).contains(high) {
                guard take("\\"), take("u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            }
            return Unicode.Scalar(high)
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= scalars.count else { return nil }
            var value: UInt32 = 0
            for scalar in scalars[index..<(index + 4)] {
                guard scalar.isASCII, let digit = UInt32(String(scalar), radix: 16) else { return nil }
                value = value << 4 | digit
            }
            index += 4
            return value
        }

        mutating func literal(_ word: String) -> Bool {
            let letters = Array(word.unicodeScalars)
            guard index + letters.count <= scalars.count, Array(scalars[index..<(index + letters.count)]) == letters
            else { return false }
            index += letters.count
            return true
        }

        mutating func take(_ scalar: Unicode.Scalar) -> Bool {
            guard index < scalars.count, scalars[index] == scalar else { return false }
            index += 1
            return true
        }

        mutating func skipWhitespace() {
            while index < scalars.count, [" ", "\t", "\n", "\r"].contains(scalars[index]) { index += 1 }
        }
    }
}
