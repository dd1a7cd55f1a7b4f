import TOML
import Testing

/// Invalid documents fail with a clear sentence pointing at the offending character.
@Suite struct TOMLErrorTests {
    /// The error thrown for `source`, failing the test when it decodes.
    private func decodeError(_ source: [UInt8]) throws -> TOMLError {
        try #require(throws: TOMLError.self) { try TOMLDecoder.decode(source) }
    }

    @Test(
        "messages and positions",
        arguments: [
            ("x 1", "expected '=' after key 'x', found '1'", 1, 3),
            ("a = 1\nb = 2\na = 3", "duplicate key 'a' (first defined at 1:1)", 3, 1),
            ("[t]\nk = 1\nk = 2", "duplicate key 't.k' (first defined at 2:1)", 3, 1),
            (#"s = "a\qb""#, #"invalid escape '\q' in string"#, 1, 7),
            (#"s = "\u12""#, #"escape '\u' needs 4 hexadecimal digits"#, 1, 6),
            (#"s = "\uD800""#, #"escape '\u' names U+D800, which is not a Unicode scalar value"#, 1, 6),
            ("[a]\n[a]", "table 'a' is already defined at 1:1", 2, 2),
            ("a.b = 1\n[a]", "table 'a' is already defined by dotted keys at 1:1", 2, 2),
            (
                "[a.b]\nx = 1\n[a]\nb.y = 2",
                "cannot add to table 'a.b' with dotted keys: it was defined by a table header at 1:1", 4, 1
            ),
            (
                "a = []\n[[a]]", "cannot append to static array 'a' (defined at 1:1) with an array-of-tables header", 2,
                3
            ),
            ("[a]\n[[a]]", "cannot define array of tables 'a': it is already a table defined at 1:1", 2, 3),
            ("[[a]]\n[a]", "'a' is already an array of tables (defined at 1:1); it cannot also be a table", 2, 2),
            ("a = { b = 1 }\n[a.c]", "cannot extend inline table 'a' (defined at 1:1)", 2, 2),
            ("a = { b = 1 }\na.c = 2", "cannot extend inline table 'a' (defined at 1:1)", 2, 1),
            ("a = 'x'\n[a.b]", "key 'a' is already defined as a string at 1:1, not a table", 2, 2),
            ("a = 1\na.b = 2", "key 'a' is already defined as an integer at 1:1, not a table", 2, 1),
            ("a = { b = 1, b = 2 }", "duplicate key 'a.b' (first defined at 1:7)", 1, 14),
            ("a = { b = 1, }", "trailing comma is not allowed in inline table 'a'", 1, 14),
            ("a = { b = 1,\n c = 2 }", "inline tables must be on a single line; found a newline", 1, 13),
            ("a = 9223372036854775808", "integer '9223372036854775808' does not fit in 64 bits", 1, 5),
            ("a = -9223372036854775809", "integer '-9223372036854775809' does not fit in 64 bits", 1, 5),
            ("a = 0x1_0000_0000_0000_0000", "integer '0x1_0000_0000_0000_0000' does not fit in 64 bits", 1, 5),
            ("a = 012", "leading zeros are not allowed in '012'", 1, 5),
            ("a = 1__0", "an underscore in a number must be between two digits", 1, 6),
            ("a = +0x10", "a sign is not allowed on a hexadecimal integer", 1, 5),
            ("a = 1.", "expected a digit after the decimal point in '1.'", 1, 7),
            ("d = 2023-02-29", "day 29 is out of range 01-28 for 2023-02", 1, 13),
            ("d = 2023-13-01", "month 13 is out of range 01-12", 1, 10),
            ("t = 24:00:00", "hour 24 is out of range 00-23", 1, 5),
            ("t = 12:00", "expected ':' in time, found end of input", 1, 10),
            ("a = 1\r b = 2", "carriage return must be followed by a line feed", 1, 6),
            ("a = \"\u{01}\"", "control character U+0001 is not allowed in a string; use an escape sequence", 1, 6),
            ("# bell \u{07}", "control character U+0007 is not allowed in a comment", 1, 8),
            ("a = \"abc", "unterminated string (opened at 1:5)", 1, 9),
            ("a = \"abc\nb = 1", "unterminated string (opened at 1:5): strings cannot span lines", 1, 9),
            ("a = '''abc", "unterminated multi-line string (opened at 1:5)", 1, 11),
            ("a = \"\"\"\nfine\n  \\q\"\"\"", #"invalid escape '\q' in string"#, 3, 3),
            (
                "a = \"\"\"\r\nfine\r\n\u{7F}\"\"\"",
                "control character U+007F is not allowed in a string; use an escape sequence", 3, 1
            ),
            ("a = '''\n\n\n'''''''", "too many quotes at the end of a multi-line string", 4, 6),
            ("a = [\n  1,\n  # note\n  2\n  3]", "expected ',' or ']' after an array element of 'a', found '3'", 5, 3),
            (
                "a = TRUE", "invalid value 'TRUE'; booleans are lowercase 'true' or 'false' and strings need quotes", 1,
                5
            ),
            ("a = ", "expected a value for 'a', found end of input", 1, 5),
            ("a = 1 2", "expected a newline after the value of 'a', found '2'", 1, 7),
            ("[t]\nk = 1 x", "expected a newline after the value of 't.k', found 'x'", 2, 7),
            ("a = [1 2]", "expected ',' or ']' after an array element of 'a', found '2'", 1, 8),
            ("[a", "expected ']' to close the table header, found end of input", 1, 3),
            ("[[a]", "expected ']]' to close the array-of-tables header, found end of input", 1, 5),
            ("= 1", "expected a key, found '='", 1, 1),
            ("\"\"\"k\"\"\" = 1", "a multi-line string cannot be used as a key", 1, 1),
            ("\"é€\" = 1 x", "expected a newline after the value of '\"é€\"', found 'x'", 1, 10),
        ]
    )
    func message(source: String, message: String, line: Int, column: Int) throws {
        let error = try decodeError(Array(source.utf8))
        #expect(error.message == message)
        #expect(error.position == TOMLPosition(line: line, column: column))
        #expect(error.description == "\(line):\(column): \(message)")
    }

    @Test("a NUL byte is an error at its position")
    func nulByte() throws {
        let error = try decodeError(Array("a = 1\nb = \"x".utf8) + [0] + Array("\"".utf8))
        #expect(error.message == "NUL character (U+0000) is not allowed in a TOML document")
        #expect(error.position == TOMLPosition(line: 2, column: 7))
    }

    @Test(
        "malformed UTF-8 is an error at the first bad byte",
        arguments: [
            [0xFF] as [UInt8],
            [0xC0, 0xAF],  // overlong '/'
            [0xED, 0xA0, 0x80],  // UTF-16 surrogate
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xE2, 0x82],  // truncated sequence
        ]
    )
    func malformedUTF8(bad: [UInt8]) throws {
        let error = try decodeError(Array("# é\ns = \"".utf8) + bad + Array("\"".utf8))
        #expect(error.message == "malformed UTF-8 sequence")
        #expect(error.position == TOMLPosition(line: 2, column: 6))
    }

    @Test(
        "truncated documents throw instead of crashing",
        arguments: [
            "a", "a =", "a = [", "a = [1,", "a = {", "a = { b", "a = { b =", "a = \"", "a = \"\\", "a = \"\\u00",
            "a = \"\"\"", "a = '''x''", "[", "[[", "[a.", "a = 1979-05-", "a = 1979-05-27T", "a = 07:3",
            "a = 1979-05-27T07:32:00+0", "a = 0x", "a = 1e", "a = -", "a = tr", "a = in", "\"key",
        ]
    )
    func truncated(source: String) throws {
        _ = try decodeError(Array(source.utf8))
    }
}
