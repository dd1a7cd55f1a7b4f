import TOML
import Testing

/// Values of every TOML type decode to the right `TOMLValue.Kind`.
@Suite struct TOMLDecoderTests {
    /// Decodes `value = <source>` and returns the value's kind.
    private func decodeValue(_ source: String) throws -> TOMLValue.Kind {
        let table = try TOMLDecoder.decode("value = " + source)
        return try #require(table["value"]).kind
    }

    private static func dateTime(
        _ year: Int,
        _ month: Int,
        _ day: Int,
        _ hour: Int,
        _ minute: Int,
        _ second: Int,
        nanosecond: Int = 0,
        offset: Int?
    ) -> TOMLValue.Kind {
        .dateTime(
            TOMLDateTime(
                date: TOMLDate(year: year, month: month, day: day),
                time: TOMLTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond),
                offsetMinutes: offset
            )
        )
    }

    @Test(
        "scalars decode to their kinds",
        arguments: [
            ("42", TOMLValue.Kind.integer(42)),
            ("+17", .integer(17)),
            ("-1_000_000", .integer(-1_000_000)),
            ("0", .integer(0)),
            ("-0", .integer(0)),
            ("9223372036854775807", .integer(Int64.max)),
            ("-9223372036854775808", .integer(Int64.min)),
            ("0xDEAD_beef", .integer(0xDEAD_BEEF)),
            ("0o755", .integer(0o755)),
            ("0b1101", .integer(0b1101)),
            ("0x7FFFFFFFFFFFFFFF", .integer(Int64.max)),
            ("3.1415", .float(3.1415)),
            ("-0.01", .float(-0.01)),
            ("5e+22", .float(5e22)),
            ("1E06", .float(1e6)),
            ("-2E-2", .float(-0.02)),
            ("6.626e-34", .float(6.626e-34)),
            ("224_617.445_991", .float(224_617.445_991)),
            ("inf", .float(.infinity)),
            ("+inf", .float(.infinity)),
            ("-inf", .float(-.infinity)),
            ("true", .boolean(true)),
            ("false", .boolean(false)),
            (#""tab\there""#, .string("tab\there")),
            (#""\"quoted\" \\ \b\f\n\r""#, .string("\"quoted\" \\ \u{08}\u{0C}\n\r")),
            (#""\u00E9 \U0001F600""#, .string("é 😀")),
            (#"'C:\Users\nodejs'"#, .string(#"C:\Users\nodejs"#)),
            ("\"\"\"\nline one\nline two\"\"\"", .string("line one\nline two")),
            ("\"\"\"\\\n    The quick \\\n\n    brown fox.\\\n    \"\"\"", .string("The quick brown fox.")),
            ("\"\"\"a \\   \n  b\"\"\"", .string("a b")),
            ("\"\"\"Here are two quotes: \"\". \"\"\"\"\"", .string("Here are two quotes: \"\". \"\"")),
            (
                "'''\nThe first newline is\ntrimmed in raw strings.\n'''",
                .string("The first newline is\ntrimmed in raw strings.\n")
            ),
            ("''''That,' she said.''''", .string("'That,' she said.'")),
            ("\"\"\"crlf\r\nkept\"\"\"", .string("crlf\r\nkept")),
            ("1979-05-27T07:32:00Z", dateTime(1979, 5, 27, 7, 32, 0, offset: 0)),
            ("1979-05-27t07:32:00z", dateTime(1979, 5, 27, 7, 32, 0, offset: 0)),
            ("1979-05-27 07:32:00-07:30", dateTime(1979, 5, 27, 7, 32, 0, offset: -450)),
            ("1979-05-27T00:32:00.999999+05:45", dateTime(1979, 5, 27, 0, 32, 0, nanosecond: 999_999_000, offset: 345)),
            (
                "1979-05-27T00:32:00.1234567891999",
                dateTime(1979, 5, 27, 0, 32, 0, nanosecond: 123_456_789, offset: nil)
            ),
            ("2024-02-29T23:59:60", dateTime(2024, 2, 29, 23, 59, 60, offset: nil)),
            ("2000-02-29", .localDate(TOMLDate(year: 2000, month: 2, day: 29))),
            ("1979-05-27 # a comment, not a time", .localDate(TOMLDate(year: 1979, month: 5, day: 27))),
            ("07:32:00", .localTime(TOMLTime(hour: 7, minute: 32, second: 0))),
            ("00:32:00.5", .localTime(TOMLTime(hour: 0, minute: 32, second: 0, nanosecond: 500_000_000))),
        ]
    )
    func scalar(source: String, expected: TOMLValue.Kind) throws {
        #expect(try decodeValue(source) == expected)
    }

    @Test("nan with any sign decodes to NaN", arguments: ["nan", "+nan", "-nan"])
    func notANumber(source: String) throws {
        guard case .float(let number) = try decodeValue(source) else {
            Issue.record("\(source) did not decode to a float")
            return
        }
        #expect(number.isNaN)
    }

    @Test("arrays may mix types and end with a trailing comma")
    func mixedArray() throws {
        let kind = try decodeValue("[ 1, 'two', [3.0], { four = 4 }, ]")
        guard case .array(let elements) = kind else {
            Issue.record("not an array: \(kind)")
            return
        }
        #expect(elements.map(\.typeName) == ["integer", "string", "array", "table"])
    }

    @Test("dotted keys, headers and arrays of tables build the expected tree in document order")
    func structure() throws {
        let table = try TOMLDecoder.decode(
            """
            title = "example"
            owner.name = "Tom"
            owner."e-mail".primary = "tom@example.com"

            [servers.alpha]
            ip = "10.0.0.1"

            [[products]]
            name = "Hammer"

            [products.details]
            weight = 3

            [[products]]
            name = "Nail"
            """
        )
        #expect(table.keys == ["title", "owner", "servers", "products"])
        guard case .table(let owner) = table["owner"]?.kind, case .table(let mail) = owner["e-mail"]?.kind else {
            Issue.record("owner tables missing")
            return
        }
        #expect(owner.keys == ["name", "e-mail"])
        #expect(mail["primary"]?.kind == .string("tom@example.com"))
        guard case .array(let products) = table["products"]?.kind, products.count == 2,
            case .table(let hammer) = products[0].kind, case .table(let nail) = products[1].kind
        else {
            Issue.record("products is not an array of two tables")
            return
        }
        #expect(hammer.keys == ["name", "details"])
        #expect(nail.keys == ["name"])
        guard case .table(let servers) = table["servers"]?.kind, case .table(let alpha) = servers["alpha"]?.kind else {
            Issue.record("servers.alpha missing")
            return
        }
        #expect(alpha["ip"]?.kind == .string("10.0.0.1"))
    }

    @Test("a table implicitly created by a header may be defined later, once")
    func implicitThenExplicit() throws {
        let table = try TOMLDecoder.decode("[a.b]\nx = 1\n[a]\ny = 2\n")
        guard case .table(let a) = table["a"]?.kind else {
            Issue.record("a missing")
            return
        }
        #expect(a.keys == ["b", "y"])
    }

    @Test("sub-tables may be added below a table defined by dotted keys")
    func headerBelowDottedTable() throws {
        let table = try TOMLDecoder.decode("[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true\n")
        guard case .table(let fruit) = table["fruit"]?.kind, case .table(let apple) = fruit["apple"]?.kind else {
            Issue.record("fruit.apple missing")
            return
        }
        #expect(apple.keys == ["color", "texture"])
    }

    @Test("CRLF line endings and a leading byte order mark are accepted")
    func lineEndings() throws {
        let table = try TOMLDecoder.decode([0xEF, 0xBB, 0xBF] + Array("a = 1\r\n# note\r\nb = 2\r\n".utf8))
        #expect(table["a"]?.kind == .integer(1))
        #expect(table["b"]?.kind == .integer(2))
        #expect(table.entry("b")?.keyPosition == TOMLPosition(line: 3, column: 1))
    }

    @Test("an empty document is an empty table")
    func emptyDocument() throws {
        #expect(try TOMLDecoder.decode("").entries.isEmpty)
        #expect(try TOMLDecoder.decode("\n# only a comment\n\n").entries.isEmpty)
    }

    @Test("dates and times print as RFC 3339")
    func descriptions() {
        let dateTime = TOMLDateTime(
            date: TOMLDate(year: 1979, month: 5, day: 27),
            time: TOMLTime(hour: 7, minute: 32, second: 0, nanosecond: 120_000_000),
            offsetMinutes: -450
        )
        #expect(dateTime.description == "1979-05-27T07:32:00.12-07:30")
        #expect(TOMLDate(year: 1, month: 1, day: 2).description == "0001-01-02")
        #expect(TOMLTime(hour: 0, minute: 0, second: 5).description == "00:00:05")
    }
}
