// MARK: - Values, arrays and inline tables

extension TOMLParser {
    /// val = string / boolean / array / inline-table / date-time / float / integer
    ///
    /// `depth` is the nesting level of the value itself (1 for a value directly in the root
    /// table: tables above it plus enclosing arrays); `key` names the value in messages.
    mutating func parseValue(depth: Int, key: TOMLKeyContext) throws(TOMLError) -> TOMLValue {
        let start = offset
        let position = currentPosition()
        let kind: TOMLValue.Kind
        switch peek() {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"") {
                kind = .string(try parseMultilineString(literal: false))
            } else {
                kind = .string(try parseBasicString())
            }
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'") && peek(2) == UInt8(ascii: "'") {
                kind = .string(try parseMultilineString(literal: true))
            } else {
                kind = .string(try parseLiteralString())
            }
        case UInt8(ascii: "t"):
            try expectWord("true")
            kind = .boolean(true)
        case UInt8(ascii: "f"):
            try expectWord("false")
            kind = .boolean(false)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth, key: key, position: position)
        case UInt8(ascii: "{"):
            return try parseInlineTable(depth: depth, key: key, position: position)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            kind = try parseNumberOrDateTime()
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "i"), UInt8(ascii: "n"):
            kind = try parseNumber()
        default:
            if TOMLKeyFormatting.isBareKeyByte(peek()) { throw invalidWord(at: start) }
            throw error("expected a value for '\(key.path)', found \(describe(at: start))")
        }
        return TOMLValue(kind, at: position)
    }

    /// Matches a keyword such as `true`, rejecting longer bare words like `truthy`.
    private mutating func expectWord(_ word: StaticString) throws(TOMLError) {
        let start = offset
        let length = word.utf8CodeUnitCount
        let matches = word.withUTF8Buffer { expected in
            for index in 0..<length where peek(index) != expected[index] { return false }
            return true
        }
        guard matches, !TOMLKeyFormatting.isBareKeyByte(peek(length)) else { throw invalidWord(at: start) }
        offset += length
    }

    /// The error for a bare word where a value belongs (`TRUE`, `yes`, an unquoted string).
    private mutating func invalidWord(at start: Int) -> TOMLError {
        var end = start
        while end < bytes.count && TOMLKeyFormatting.isBareKeyByte(bytes[end]) { end += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<max(end, start + 1)]), as: UTF8.self)
        return error(
            "invalid value '\(text)'; booleans are lowercase 'true' or 'false' and strings need quotes",
            at: start
        )
    }

    private mutating func checkDepth(_ depth: Int) throws(TOMLError) {
        guard depth <= Self.maximumDepth else {
            throw error("arrays and tables nest deeper than \(Self.maximumDepth) levels")
        }
    }

    /// array = "[" *( ws-comment-newline val ws-comment-newline "," ) [ ... ] ws-comment-newline "]"
    /// Values of mixed types are allowed (TOML 1.0); a trailing comma is allowed.
    private mutating func parseArray(depth: Int, key: TOMLKeyContext, position: TOMLPosition) throws(TOMLError)
        -> TOMLValue
    {
        try checkDepth(depth)
        offset += 1
        var elements: [TOMLValue] = []
        while true {
            try skipArrayTrivia()
            if peek() == UInt8(ascii: "]") {
                offset += 1
                break
            }
            elements.append(try parseValue(depth: depth + 1, key: key))
            try skipArrayTrivia()
            switch peek() {
            case UInt8(ascii: ","):
                offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                return TOMLValue(.array(elements), at: position)
            default:
                throw error(
                    "expected ',' or ']' after an array element of '\(key.path)', found \(describe(at: offset))"
                )
            }
        }
        return TOMLValue(.array(elements), at: position)
    }

    /// Whitespace, comments and newlines, all allowed between array elements.
    private mutating func skipArrayTrivia() throws(TOMLError) {
        while true {
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: "#"): try skipComment()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): try consumeNewline()
            default: return
            }
        }
    }

    /// inline-table = "{" ws [ keyval *( ws "," ws keyval ) ] ws "}"
    /// TOML 1.0: no newlines and no trailing comma; the table is closed once written.
    private mutating func parseInlineTable(depth: Int, key: TOMLKeyContext, position: TOMLPosition) throws(TOMLError)
        -> TOMLValue
    {
        try checkDepth(depth)
        offset += 1
        let node = TOMLTableNode(origin: .inline, position: position, depth: depth, path: key.path)
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            offset += 1
            return TOMLValue(.table(node.finish()), at: position)
        }
        while true {
            try checkNoNewlineInInlineTable()
            _ = try parseKeyValue(into: node)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                offset += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "}") {
                    throw error("trailing comma is not allowed in inline table '\(key.path)'", at: offset)
                }
            case UInt8(ascii: "}"):
                offset += 1
                return TOMLValue(.table(node.finish()), at: position)
            default:
                try checkNoNewlineInInlineTable()
                throw error("expected ',' or '}' in inline table '\(key.path)', found \(describe(at: offset))")
            }
        }
    }

    private mutating func checkNoNewlineInInlineTable() throws(TOMLError) {
        let byte = peek()
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "#") {
            throw error("inline tables must be on a single line; found \(describe(at: offset))")
        }
        if isAtEnd {
            throw error("unterminated inline table; expected '}' before the end of input")
        }
    }
}
