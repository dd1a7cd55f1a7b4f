/// A strict logfmt reader for tests: exactly the grammar the logger promises, nothing lenient.
///
///     line   = pair *(" " pair)
///     pair   = key "=" value
///     key    = 1*(any scalar except space, "=", '"', control)
///     value  = bare / quoted
///     bare   = 1*(any scalar except space, "=", '"', "\", control)
///     quoted = '"' *(plain / "\" ('"' / "\" / "n" / "r" / "t" / "u" 4HEXDIG)) '"'
///
/// Throws on anything else: a stray space, an empty bare value, an unknown escape, a raw control
/// character, a repeated key.
public enum Logfmt {
    public struct ParseError: Error, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "logfmt at \(offset): \(message)" }
    }

    /// The pairs of one line, in order.
    public static func parse(_ line: String) throws -> [(key: String, value: String)] {
        let scalars = Array(line.unicodeScalars)
        var index = 0
        var pairs: [(key: String, value: String)] = []
        func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || scalar.value == 0x7F }
        while true {
            var key = ""
            while index < scalars.count, scalars[index] != "=" {
                let scalar = scalars[index]
                guard scalar != " ", scalar != "\"", !isControl(scalar) else {
                    throw ParseError(offset: index, message: "bad key character \(scalar.escaped(asASCII: true))")
                }
                key.unicodeScalars.append(scalar)
                index += 1
            }
            guard !key.isEmpty, index < scalars.count else { throw ParseError(offset: index, message: "expected key=") }
            guard !pairs.contains(where: { $0.key == key }) else {
                throw ParseError(offset: index, message: "repeated key \(key)")
            }
            index += 1
            var value = ""
            if index < scalars.count, scalars[index] == "\"" {
                index += 1
                while true {
                    guard index < scalars.count else { throw ParseError(offset: index, message: "unterminated quote") }
                    let scalar = scalars[index]
                    index += 1
                    if scalar == "\"" { break }
                    guard !isControl(scalar) else { throw ParseError(offset: index, message: "raw control character") }
                    guard scalar == "\\" else {
                        value.unicodeScalars.append(scalar)
                        continue
                    }
                    guard index < scalars.count else { throw ParseError(offset: index, message: "dangling escape") }
                    let escape = scalars[index]
                    index += 1
                    switch escape {
                    case "\"": value += "\""
                    case "\\": value += "\\"
                    case "n": value += "\n"
                    case "r": value += "\r"
                    case "t": value += "\t"
                    case "u":
                        guard index + 4 <= scalars.count,
                            let code = UInt32(String(String.UnicodeScalarView(scalars[index..<index + 4])), radix: 16),
                            let decoded = Unicode.Scalar(code)
                        else { throw ParseError(offset: index, message: "bad \\u escape") }
                        value.unicodeScalars.append(decoded)
                        index += 4
                    default:
                        throw ParseError(offset: index, message: "unknown escape \\\(escape)")
                    }
                }
            } else {
                while index < scalars.count, scalars[index] != " " {
                    let scalar = scalars[index]
                    guard scalar != "=", scalar != "\"", scalar != "\\", !isControl(scalar) else {
                        throw ParseError(offset: index, message: "character needing quotes in a bare value")
                    }
                    value.unicodeScalars.append(scalar)
                    index += 1
                }
                guard !value.isEmpty else { throw ParseError(offset: index, message: "empty bare value") }
            }
            pairs.append((key, value))
            if index == scalars.count { return pairs }
            guard scalars[index] == " ", index + 1 < scalars.count else {
                throw ParseError(offset: index, message: "expected a single space between pairs")
            }
            index += 1
        }
    }
}
