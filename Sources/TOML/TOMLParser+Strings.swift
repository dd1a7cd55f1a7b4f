// MARK: - Strings

extension TOMLParser {
    /// Whether `byte` is a control character that strings and comments may not contain
    /// (everything below U+0020 except tab, and U+007F).
    @inline(__always)
    static func isForbiddenControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F
    }

    /// basic-string = '"' *basic-char '"'. The cursor is on the opening quote.
    mutating func parseBasicString() throws(TOMLError) -> String {
        let openOffset = offset
        offset += 1
        let contentStart = offset
        // Fast path: no escapes, so the contents are one slice of the (validated) input.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<offset]), as: UTF8.self)
                offset += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            try checkSingleLineStringByte(byte, openOffset: openOffset)
            offset += 1
        }
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[contentStart..<offset]))
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return String(decoding: buffer, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                try parseEscape(into: &buffer)
                continue
            }
            try checkSingleLineStringByte(byte, openOffset: openOffset)
            buffer.append(byte)
            offset += 1
        }
        throw error("unterminated string (opened at \(position(at: openOffset)))")
    }

    /// literal-string = "'" *literal-char "'". The cursor is on the opening quote.
    mutating func parseLiteralString() throws(TOMLError) -> String {
        let openOffset = offset
        offset += 1
        let contentStart = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "'") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<offset]), as: UTF8.self)
                offset += 1
                return text
            }
            try checkSingleLineStringByte(byte, openOffset: openOffset)
            offset += 1
        }
        throw error("unterminated string (opened at \(position(at: openOffset)))")
    }

    private mutating func checkSingleLineStringByte(_ byte: UInt8, openOffset: Int) throws(TOMLError) {
        guard Self.isForbiddenControl(byte) else { return }
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            throw error("unterminated string (opened at \(position(at: openOffset))): strings cannot span lines")
        }
        throw error("\(describe(at: offset)) is not allowed in a string; use an escape sequence")
    }

    /// Multi-line basic (`"""`) or literal (`'''`) string; the cursor is on the first delimiter.
    ///
    /// A newline right after the opening delimiter is trimmed; up to two quotes may directly
    /// precede the closing delimiter. In basic strings a backslash at the end of a line removes
    /// the line ending and all whitespace and newlines that follow it.
    mutating func parseMultilineString(literal: Bool) throws(TOMLError) -> String {
        let quote = literal ? UInt8(ascii: "'") : UInt8(ascii: "\"")
        let openPosition = currentPosition()
        offset += 3
        if peek() == UInt8(ascii: "\n") || (peek() == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n")) {
            try consumeNewline()
        }
        var buffer: [UInt8] = []
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case quote:
                var run = 0
                while peek(run) == quote { run += 1 }
                if run < 3 {
                    buffer.append(contentsOf: repeatElement(quote, count: run))
                    offset += run
                    continue
                }
                guard run <= 5 else {
                    throw error("too many quotes at the end of a multi-line string", at: offset + 5)
                }
                buffer.append(contentsOf: repeatElement(quote, count: run - 3))
                offset += run
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\") where !literal:
                if try skipLineEndingBackslash() { continue }
                try parseEscape(into: &buffer)
            case UInt8(ascii: "\n"):
                buffer.append(byte)
                try consumeNewline()
            case UInt8(ascii: "\r"):
                try consumeNewline()
                buffer.append(UInt8(ascii: "\r"))
                buffer.append(UInt8(ascii: "\n"))
            default:
                if Self.isForbiddenControl(byte) {
                    throw error("\(describe(at: offset)) is not allowed in a string; use an escape sequence")
                }
                buffer.append(byte)
                offset += 1
            }
        }
        throw error("unterminated multi-line string (opened at \(openPosition))")
    }

    /// At a backslash in a multi-line basic string: if only whitespace follows it up to the line
    /// ending, skips the backslash, that line ending and all whitespace/newlines after it.
    private mutating func skipLineEndingBackslash() throws(TOMLError) -> Bool {
        var index = 1
        while peek(index) == UInt8(ascii: " ") || peek(index) == UInt8(ascii: "\t") { index += 1 }
        let next = peek(index)
        guard next == UInt8(ascii: "\n") || next == UInt8(ascii: "\r") else { return false }
        offset += index
        while true {
            let byte = peek()
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                offset += 1
            } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                try consumeNewline()
            } else {
                return true
            }
        }
    }

    /// escaped = "\" ( '"' / "\" / "b" / "f" / "n" / "r" / "t" / "u" 4HEXDIG / "U" 8HEXDIG ).
    /// The cursor is on the backslash; appends the UTF-8 of the escaped character.
    mutating func parseEscape(into buffer: inout [UInt8]) throws(TOMLError) {
        let escapeOffset = offset
        let letter = peek(1)
        switch letter {
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = letter == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            for index in 0..<digits {
                guard let digit = Self.hexValue(peek(2 + index)) else {
                    throw error(
                        "escape '\\\(Character(Unicode.Scalar(letter)))' needs \(digits) hexadecimal digits",
                        at: escapeOffset
                    )
                }
                value = value << 4 | UInt32(digit)
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw error(
                    "escape '\\\(Character(Unicode.Scalar(letter)))' names \(Self.scalarName(value)), which is not a Unicode scalar value",
                    at: escapeOffset
                )
            }
            UTF8.encode(scalar) { buffer.append($0) }
            offset += 2 + digits
            return
        default:
            guard offset + 1 < bytes.count else {
                throw error("unterminated escape sequence at the end of input", at: escapeOffset)
            }
            let shown: String
            if letter >= 0x21 && letter < 0x7F {
                shown = "'\\\(Character(Unicode.Scalar(letter)))'"
            } else {
                shown = "'\\' followed by \(describe(at: offset + 1))"
            }
            throw error("invalid escape \(shown) in string", at: escapeOffset)
        }
        offset += 2
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
