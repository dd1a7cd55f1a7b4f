/// The byte-level TOML parser: cursor, positions, and the document-level grammar.
///
/// It reads an already validated UTF-8 buffer (see `UTF8Validation`), so `peek` can return `0`
/// past the end: a real NUL never reaches the parser.
struct TOMLParser {
    /// Deepest allowed nesting of tables, arrays and inline tables together.
    static let maximumDepth = 256

    let bytes: UnsafeBufferPointer<UInt8>
    /// Offset of the next unread byte.
    var offset = 0
    /// 1-based line of `offset`, and the offset where that line starts.
    var line = 1
    var lineStart = 0
    var builder = TOMLDocumentBuilder()

    // Column cache: the column of `columnCacheOffset` on the line starting at `columnCacheLineStart`.
    private var columnCacheLineStart = -1
    private var columnCacheOffset = 0
    private var columnCacheColumn = 1

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // A leading byte order mark is not part of the document; columns start after it.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            offset = 3
            lineStart = 3
        }
    }

    // MARK: - Cursor

    /// The byte `ahead` bytes past the cursor, or `0` past the end of the input.
    @inline(__always)
    func peek(_ ahead: Int = 0) -> UInt8 {
        let index = offset + ahead
        return index < bytes.count ? bytes[index] : 0
    }

    var isAtEnd: Bool { offset >= bytes.count }

    // MARK: - Positions

    /// The line:column of byte `target`. Fast and incremental for offsets on the current line.
    mutating func position(at target: Int) -> TOMLPosition {
        guard target >= lineStart else { return Self.position(of: target, in: bytes) }
        var index = lineStart
        var column = 1
        if columnCacheLineStart == lineStart && columnCacheOffset <= target {
            index = columnCacheOffset
            column = columnCacheColumn
        }
        let end = min(target, bytes.count)
        while index < end {
            // Count scalar starts: every byte that is not a UTF-8 continuation byte.
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        columnCacheLineStart = lineStart
        columnCacheOffset = end
        columnCacheColumn = column
        return TOMLPosition(line: line, column: column)
    }

    /// The position of the cursor.
    mutating func currentPosition() -> TOMLPosition { position(at: offset) }

    /// The line:column of byte `target`, found by scanning from the start; used for errors only.
    static func position(of target: Int, in bytes: UnsafeBufferPointer<UInt8>) -> TOMLPosition {
        var line = 1
        var column = 1
        var index = 0
        let end = min(target, bytes.count)
        while index < end {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if bytes[index] & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return TOMLPosition(line: line, column: column)
    }

    /// An error at byte `target` (the cursor by default).
    mutating func error(_ message: String, at target: Int? = nil) -> TOMLError {
        TOMLError(message, at: position(at: target ?? offset))
    }

    /// A short description of the character at `target` for messages: `'x'`, `a newline`, ….
    func describe(at target: Int) -> String {
        guard target < bytes.count else { return "end of input" }
        let byte = bytes[target]
        switch byte {
        case UInt8(ascii: "\n"): return "a newline"
        case UInt8(ascii: "\r"): return "a carriage return"
        case UInt8(ascii: "\t"): return "a tab"
        case 0..<0x20, 0x7F: return "control character \(Self.scalarName(UInt32(byte)))"
        case 0x20..<0x80: return "'\(Character(Unicode.Scalar(byte)))'"
        default:
            var end = target + 1
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
            return "'\(String(decoding: UnsafeBufferPointer(rebasing: bytes[target..<end]), as: UTF8.self))'"
        }
    }

    /// `U+001F` style name of a code point.
    static func scalarName(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    // MARK: - Whitespace, newlines, comments

    /// Skips spaces and tabs.
    @inline(__always)
    mutating func skipWhitespace() {
        while true {
            let byte = peek()
            guard byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") else { return }
            offset += 1
        }
    }

    /// Consumes `\n` or `\r\n` at the cursor and starts a new line. A lone `\r` is an error.
    mutating func consumeNewline() throws(TOMLError) {
        if peek() == UInt8(ascii: "\r") {
            guard peek(1) == UInt8(ascii: "\n") else {
                throw error("carriage return must be followed by a line feed")
            }
            offset += 1
        }
        offset += 1
        line += 1
        lineStart = offset
    }

    /// Skips a `#` comment up to (not including) the line ending. Control characters other than
    /// tab are not allowed in comments.
    mutating func skipComment() throws(TOMLError) {
        offset += 1
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\n") { return }
            if byte == UInt8(ascii: "\r") {
                guard peek(1) == UInt8(ascii: "\n") else {
                    throw error("carriage return must be followed by a line feed")
                }
                return
            }
            if (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F {
                throw error("\(describe(at: offset)) is not allowed in a comment")
            }
            offset += 1
        }
    }

    /// After a key/value pair or header: optional whitespace and comment, then a line ending.
    mutating func expectLineEnd(after what: @autoclosure () -> String) throws(TOMLError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "#") { try skipComment() }
        guard !isAtEnd else { return }
        let byte = peek()
        guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
            throw error("expected a newline after \(what()), found \(describe(at: offset))")
        }
        try consumeNewline()
    }

    // MARK: - Document

    /// document = expression *( newline expression )
    /// expression = ws [ keyval | table-header ] ws [ comment ]
    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        var current = builder.root
        while true {
            skipWhitespace()
            guard !isAtEnd else { break }
            switch peek() {
            case UInt8(ascii: "#"):
                try skipComment()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
            case UInt8(ascii: "["):
                current = try parseTableHeader()
                try expectLineEnd(after: "the table header")
            default:
                let keys = try parseKeyValue(into: current)
                try expectLineEnd(after: "the value of '\(TOMLKeyContext(table: current, keys: keys).path)'")
            }
        }
        return builder.root.finish()
    }

    /// std-table = "[" ws key ws "]";  array-table = "[[" ws key ws "]]"
    mutating func parseTableHeader() throws(TOMLError) -> TOMLTableNode {
        let headerPosition = currentPosition()
        offset += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { offset += 1 }
        skipWhitespace()
        let keys = try parseKey()
        skipWhitespace()
        if isArray {
            guard peek() == UInt8(ascii: "]") && peek(1) == UInt8(ascii: "]") else {
                let found = peek() == UInt8(ascii: "]") ? offset + 1 : offset
                throw error(
                    "expected ']]' to close the array-of-tables header, found \(describe(at: found))",
                    at: found
                )
            }
            offset += 2
            return try builder.appendArrayTable(keys, headerPosition: headerPosition)
        }
        guard peek() == UInt8(ascii: "]") else {
            throw error("expected ']' to close the table header, found \(describe(at: offset))")
        }
        offset += 1
        return try builder.defineTable(keys, headerPosition: headerPosition)
    }

    /// keyval = key ws "=" ws val. Returns the key for messages.
    mutating func parseKeyValue(into table: TOMLTableNode) throws(TOMLError) -> [TOMLKeySegment] {
        let keys = try parseKey()
        skipWhitespace()
        guard peek() == UInt8(ascii: "=") else {
            let shown = keys.map { TOMLKeyFormatting.display($0.name) }.joined(separator: ".")
            throw error("expected '=' after key '\(shown)', found \(describe(at: offset))")
        }
        offset += 1
        skipWhitespace()
        let value = try parseValue(depth: table.depth + keys.count, key: TOMLKeyContext(table: table, keys: keys))
        try builder.assign(value, to: keys, in: table)
        return keys
    }

    // MARK: - Keys

    /// key = simple-key *( ws "." ws simple-key ). Leaves the cursor after the last segment.
    mutating func parseKey() throws(TOMLError) -> [TOMLKeySegment] {
        var segments: [TOMLKeySegment] = []
        while true {
            let position = currentPosition()
            let name = try parseSimpleKey()
            segments.append(TOMLKeySegment(name: name, position: position))
            guard segments.count <= Self.maximumDepth else {
                throw TOMLError("dotted key has more than \(Self.maximumDepth) parts", at: position)
            }
            let afterKey = offset
            skipWhitespace()
            guard peek() == UInt8(ascii: ".") else {
                offset = afterKey
                return segments
            }
            offset += 1
            skipWhitespace()
        }
    }

    /// simple-key = quoted-key / unquoted-key
    mutating func parseSimpleKey() throws(TOMLError) -> String {
        switch peek() {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"") {
                throw error("a multi-line string cannot be used as a key")
            }
            return try parseBasicString()
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'") && peek(2) == UInt8(ascii: "'") {
                throw error("a multi-line string cannot be used as a key")
            }
            return try parseLiteralString()
        default:
            let start = offset
            while TOMLKeyFormatting.isBareKeyByte(peek()) { offset += 1 }
            guard offset > start else {
                throw error("expected a key, found \(describe(at: offset))")
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        }
    }
}
