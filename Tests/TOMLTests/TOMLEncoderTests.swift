import TOML
import Testing

/// `TOMLEncoder` writes canonical TOML that decodes back to the same values.
@Suite struct TOMLEncoderTests {
    /// The value tree with every position reset, so trees from different texts compare equal.
    private func withoutPositions(_ table: TOMLTable) -> TOMLTable {
        TOMLTable(
            entries: table.entries.map {
                TOMLEntry(key: $0.key, keyPosition: TOMLPosition(line: 1, column: 1), value: withoutPositions($0.value))
            }
        )
    }

    private func withoutPositions(_ value: TOMLValue) -> TOMLValue {
        let kind: TOMLValue.Kind
        switch value.kind {
        case .array(let elements): kind = .array(elements.map(withoutPositions))
        case .table(let table): kind = .table(withoutPositions(table))
        default: kind = value.kind
        }
        return TOMLValue(kind, at: TOMLPosition(line: 1, column: 1))
    }

    private let document = #"""
        title = "TOML \"example\"\t✓"
        "key with spaces" = 'C:\path'
        "" = "empty key"
        numbers = [0x10, -7, 1e-5, 2.5, -inf, 1_000]
        when = [1979-05-27T07:32:00.5-07:00, 1979-05-27T07:32:00, 1979-05-27, 07:32:00.000001]
        control = "bell\u0007 del\u007F nl\n"
        mixed = [1, { a = { b = 2 }, "c d" = [] }]

        [owner]
        name = "Tom"
        inline = { a = 1, b.c = [{ d = true }], e = {} }

        [owner.nested."dotted.key"]
        x = 1

        [[products]]
        name = "Hammer"
        [products.details]
        weight = 3

        [[products]]

        [[products]]
        name = "Nail"
        """#

    @Test("the canonical form puts plain values first, then sections, including former inline tables")
    func canonicalText() throws {
        let encoded = TOMLEncoder.encode(try TOMLDecoder.decode(document))
        #expect(
            encoded == #"""
                title = "TOML \"example\"\t✓"
                "key with spaces" = "C:\\path"
                "" = "empty key"
                numbers = [16, -7, 1e-05, 2.5, -inf, 1000]
                when = [1979-05-27T07:32:00.5-07:00, 1979-05-27T07:32:00, 1979-05-27, 07:32:00.000001]
                control = "bell\u0007 del\u007F nl\n"
                mixed = [1, { a = { b = 2 }, "c d" = [] }]

                [owner]
                name = "Tom"

                [owner.inline]
                a = 1

                [owner.inline.b]

                [[owner.inline.b.c]]
                d = true

                [owner.inline.e]

                [owner.nested]

                [owner.nested."dotted.key"]
                x = 1

                [[products]]
                name = "Hammer"

                [products.details]
                weight = 3

                [[products]]

                [[products]]
                name = "Nail"

                """#
        )
    }

    @Test("decode → encode → decode preserves every value and is a fixed point")
    func roundTrip() throws {
        let original = try TOMLDecoder.decode(document)
        let encoded = TOMLEncoder.encode(original)
        let decoded = try TOMLDecoder.decode(encoded)
        #expect(withoutPositions(decoded) == withoutPositions(original))
        #expect(TOMLEncoder.encode(decoded) == encoded)
    }

    @Test(
        "floats keep their exact value through a round trip",
        arguments: [
            0.1, -0.0, .leastNonzeroMagnitude, 1.7976931348623157e308, 123456789.125, 1e16, .infinity, -.infinity,
        ]
    )
    func floatRoundTrip(number: Double) throws {
        let text = TOMLEncoder.encode(
            TOMLTable(entries: [
                TOMLEntry(
                    key: "f",
                    keyPosition: TOMLPosition(line: 1, column: 1),
                    value: TOMLValue(.float(number), at: TOMLPosition(line: 1, column: 1))
                )
            ])
        )
        guard case .float(let decoded) = try #require(try TOMLDecoder.decode(text)["f"]).kind else {
            Issue.record("f is not a float in \(text)")
            return
        }
        #expect(decoded == number)
        #expect(decoded.sign == number.sign)
    }

    @Test("NaN encodes as nan")
    func notANumber() {
        #expect(TOMLEncoder.encode(TOMLValue(.float(.nan), at: TOMLPosition(line: 1, column: 1))) == "nan")
    }

    @Test("an empty table encodes as an empty document")
    func emptyTable() {
        #expect(TOMLEncoder.encode(TOMLTable()) == "")
    }
}
