/// Why bytes could not be parsed as JSON, and where.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case unexpectedEnd
        case unexpectedCharacter
        case invalidNumber
        case invalidEscape
        case invalidUTF8
        case controlCharacterInString
        case duplicateKey
        case tooDeep
        case tooLarge
        case trailingCharacters
    }

    public var code: Code
    /// Byte offset of the problem in the input.
    public var offset: Int

    public var description: String {
        let what: String
        switch code {
        case .unexpectedEnd: what = "unexpected end of input"
        case .unexpectedCharacter: what = "unexpected character"
        case .invalidNumber: what = "invalid number"
        case .invalidEscape: what = "invalid escape in string"
        case .invalidUTF8: what = "invalid UTF-8"
        case .controlCharacterInString: what = "unescaped control character in string"
        case .duplicateKey: what = "duplicate key"
        case .tooDeep: what = "nesting too deep"
        case .tooLarge: what = "input too large"
        case .trailingCharacters: what = "unexpected characters after the value"
        }
        return "\(what) at byte \(offset)"
    }
}

/// A strict RFC 8259 parser for untrusted input.
///
/// Grammar (RFC 8259): `value = object / array / string / number / true / false / null`, with
/// insignificant whitespace (space, tab, CR, LF) around tokens. Limits: at most `maximumDepth`
/// nested arrays/objects and `maximumBytes` of input; both are checked before any work they would
/// cost. Never traps: every index is bounds-checked and integer parsing detects overflow.
public struct JSONParser {
    /// Nesting limit; the protocol's deepest message is 4 levels deep.
    public var maximumDepth: Int
    /// Size limit in bytes.
    public var maximumBytes: Int

    public init(maximumDepth: Int = 64, maximumBytes: Int = 64 << 20) {
        self.maximumDepth = maximumDepth
        self.maximumBytes = maximumBytes
    }

    /// Parses exactly one JSON value (surrounded by optional whitespace) from `bytes`.
    public func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(JSONParseError) -> JSONValue {
        guard bytes.count <= maximumBytes else { throw JSONParseError(code: .tooLarge, offset: maximumBytes) }
        let array = Array(bytes)
        var cursor = Cursor(bytes: array, maximumDepth: maximumDepth)
        cursor.skipWhitespace()
        let value = try cursor.parseValue(depth: 0)
        cursor.skipWhitespace()
        guard cursor.index == array.count else {
            throw JSONParseError(code: .trailingCharacters, offset: cursor.index)
        }
        return value
    }

    /// Parses `text` (convenience for tests and small inputs).
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// The parser's position in the input.
private struct Cursor {
    let bytes: [UInt8]
    let maximumDepth: Int
    var index = 0

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private func fail(_ code: JSONParseError.Code, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(code: code, offset: offset ?? index)
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            index += 1
        }
    }

    // value = object / array / string / number / "true" / "false" / "null"
    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard let byte = current else { throw fail(.unexpectedEnd) }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw fail(.unexpectedCharacter)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw fail(.unexpectedEnd, at: bytes.count) }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] {
            throw fail(.unexpectedCharacter, at: start + offset)
        }
        index += count
    }

    // object = "{" [ member *( "," member ) ] "}" ; member = string ":" value
    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maximumDepth else { throw fail(.tooDeep) }
        index += 1  // "{"
        var members: [(key: String, value: JSONValue)] = []
        var keys: Set<String> = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard let byte = current else { throw fail(.unexpectedEnd) }
            guard byte == UInt8(ascii: "\"") else { throw fail(.unexpectedCharacter) }
            let keyOffset = index
            let key = try parseString()
            guard keys.insert(key).inserted else { throw fail(.duplicateKey, at: keyOffset) }
            skipWhitespace()
            guard let colon = current else { throw fail(.unexpectedEnd) }
            guard colon == UInt8(ascii: ":") else { throw fail(.unexpectedCharacter) }
            index += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            guard let separator = current else { throw fail(.unexpectedEnd) }
            index += 1
            if separator == UInt8(ascii: "}") { return .object(members) }
            guard separator == UInt8(ascii: ",") else { throw fail(.unexpectedCharacter, at: index - 1) }
        }
    }

    // array = "[" [ value *( "," value ) ] "]"
    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maximumDepth else { throw fail(.tooDeep) }
        index += 1  // "["
        var values: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(values)
        }
        while true {
            skipWhitespace()
            values.append(try parseValue(depth: depth))
            skipWhitespace()
            guard let separator = current else { throw fail(.unexpectedEnd) }
            index += 1
            if separator == UInt8(ascii: "]") { return .array(values) }
            guard separator == UInt8(ascii: ",") else { throw fail(.unexpectedCharacter, at: index - 1) }
        }
    }

    // number = [ "-" ] int [ frac ] [ exp ] ; int = "0" / ( digit1-9 *digit )
    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current else { throw fail(.unexpectedEnd) }
        guard isDigit(first) else { throw fail(.invalidNumber) }
        index += 1
        if first == UInt8(ascii: "0"), let next = current, isDigit(next) { throw fail(.invalidNumber) }
        while let byte = current, isDigit(byte) { index += 1 }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            try expectDigits()
        }
        if let byte = current, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if let sign = current, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { index += 1 }
            try expectDigits()
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let exact = Int64(text) { return .integer(exact) }
        guard let value = Double(text), value.isFinite else { throw fail(.invalidNumber, at: start) }
        return .double(value)
    }

    private mutating func expectDigits() throws(JSONParseError) {
        guard let byte = current else { throw fail(.unexpectedEnd) }
        guard isDigit(byte) else { throw fail(.invalidNumber) }
        while let byte = current, isDigit(byte) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    // string = quotation-mark *char quotation-mark, escapes \" \\ \/ \b \f \n \r \t \uXXXX
    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        var runStart = index
        var result = ""
        while true {
            guard let byte = current else { throw fail(.unexpectedEnd) }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                try appendRun(from: runStart, to: &result)
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return result
                }
                let escape = try parseEscape()
                result.unicodeScalars.append(escape)
                runStart = index
                continue
            }
            if byte < 0x20 { throw fail(.controlCharacterInString) }
            index += 1
        }
    }

    /// Appends the raw bytes `bytes[start..<index]` after validating them as UTF-8.
    private func appendRun(from start: Int, to result: inout String) throws(JSONParseError) {
        guard start < index else { return }
        let slice = bytes[start..<index]
        guard let text = String(validating: slice, as: UTF8.self) else { throw fail(.invalidUTF8, at: start) }
        result += text
    }

    /// Parses one escape sequence after a backslash (a surrogate pair counts as one).
    private mutating func parseEscape() throws(JSONParseError) -> Unicode.Scalar {
        let start = index
        index += 1  // backslash
        guard let letter = current else { throw fail(.unexpectedEnd) }
        index += 1
        switch letter {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try parseHex4()
            if (0xD800..<0xDC00).contains(high) {
                guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                else { throw fail(.invalidEscape, at: start) }
                index += 2
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw fail(.invalidEscape, at: start) }
                let combined = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                guard let scalar = Unicode.Scalar(combined) else { throw fail(.invalidEscape, at: start) }
                return scalar
            }
            guard let scalar = Unicode.Scalar(high) else { throw fail(.invalidEscape, at: start) }
            return scalar
        default:
            throw fail(.invalidEscape, at: start)
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw fail(.unexpectedEnd, at: bytes.count) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail(.invalidEscape)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
