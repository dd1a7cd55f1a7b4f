/// Checks that a document is well-formed UTF-8 without NUL characters before parsing starts.
///
/// Doing this once up front lets the parser copy string contents byte for byte and use `0` as its
/// end-of-input sentinel. Overlong encodings, surrogates and code points above U+10FFFF are
/// rejected, as the Unicode standard requires.
enum UTF8Validation {
    /// The first problem found: the byte offset where it starts and a sentence describing it.
    struct Problem {
        var offset: Int
        var message: String
    }

    /// The first malformed sequence or NUL byte in `bytes`, or nil when the text is clean.
    static func firstProblem(in bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        let count = bytes.count
        var index = 0
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                if lead == 0 {
                    return Problem(offset: index, message: "NUL character (U+0000) is not allowed in a TOML document")
                }
                index += 1
                continue
            }
            // Byte ranges from the Unicode standard's table of well-formed UTF-8 sequences.
            let length: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                secondRange = 0x80...0x9F
            case 0xF0:
                length = 4
                secondRange = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                secondRange = 0x80...0x8F
            default:
                return malformed(at: index)
            }
            guard index + length <= count, secondRange.contains(bytes[index + 1]) else {
                return malformed(at: index)
            }
            var next = index + 2
            while next < index + length {
                guard (0x80...0xBF).contains(bytes[next]) else { return malformed(at: index) }
                next += 1
            }
            index += length
        }
        return nil
    }

    private static func malformed(at offset: Int) -> Problem {
        Problem(offset: offset, message: "malformed UTF-8 sequence")
    }
}
