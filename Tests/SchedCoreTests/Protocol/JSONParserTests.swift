import Testing

@testable import SchedCore

@Suite("JSONParser")
struct JSONParserTests {
    let parser = JSONParser()

    @Test("parses every kind of value")
    func parsesValues() throws {
        let value = try parser.parse(
            #" { "a" : [1, -2, 3.5, 1e3, true, false, null], "b": {"c": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"} } "#
        )
        #expect(
            value
                == .object([
                    (
                        "a",
                        .array([
                            .integer(1), .integer(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null,
                        ])
                    ),
                    ("b", .object([("c", .string("x\"\\/\u{08}\u{0C}\n\r\té😀"))])),
                ])
        )
    }

    @Test("integers beyond Int64 become doubles; -0 and 0 are integers")
    func numbers() throws {
        #expect(try parser.parse("9223372036854775807") == .integer(Int64.max))
        #expect(try parser.parse("-9223372036854775808") == .integer(Int64.min))
        #expect(try parser.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try parser.parse("-0") == .integer(0))
    }

    @Test(
        "rejects malformed input with the right code",
        arguments: [
            ("", JSONParseError.Code.unexpectedEnd),
            ("{", .unexpectedEnd),
            ("[1,", .unexpectedEnd),
            ("[1 2]", .unexpectedCharacter),
            ("{\"a\" 1}", .unexpectedCharacter),
            ("{\"a\":1,}", .unexpectedCharacter),
            ("{a:1}", .unexpectedCharacter),
            ("tru", .unexpectedEnd),
            ("nul1", .unexpectedCharacter),
            ("01", .invalidNumber),
            ("1.", .unexpectedEnd),
            ("1.e5", .invalidNumber),
            ("-", .unexpectedEnd),
            ("1e999", .invalidNumber),
            ("\"\\x\"", .invalidEscape),
            ("\"\\ud800\"", .invalidEscape),
            ("\"\\udc00\"", .invalidEscape),
            ("\"\\u12g4\"", .invalidEscape),
            ("\"a\nb\"", .controlCharacterInString),
            ("\"abc", .unexpectedEnd),
            ("{\"a\":1,\"a\":2}", .duplicateKey),
            ("1 2", .trailingCharacters),
            ("{} x", .trailingCharacters),
        ]
    )
    func rejectsMalformed(text: String, code: JSONParseError.Code) {
        #expect(throws: JSONParseError.self) { try parser.parse(text) }
        do {
            _ = try parser.parse(text)
        } catch {
            #expect(error.code == code, "\(text)")
        }
    }

    @Test("rejects invalid UTF-8 inside strings")
    func invalidUTF8() {
        let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParseError(code: .invalidUTF8, offset: 1)) { try parser.parse(bytes) }
    }

    @Test("enforces the depth limit without recursing past it")
    func depthLimit() throws {
        let shallow = JSONParser(maximumDepth: 3)
        #expect(try shallow.parse("[[[1]]]") == .array([.array([.array([.integer(1)])])]))
        #expect(throws: JSONParseError.self) { try shallow.parse("[[[[1]]]]") }
        // A hundred thousand brackets must fail fast on the limit, not overflow the stack.
        let deep = String(repeating: "[", count: 100_000)
        do {
            _ = try parser.parse(deep)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .tooDeep)
        }
    }

    @Test("enforces the size limit")
    func sizeLimit() {
        let small = JSONParser(maximumBytes: 8)
        #expect(throws: JSONParseError.self) { try small.parse("\"123456789\"") }
    }

    @Test("printing then parsing is the identity, and printed text has no newline")
    func roundTrip() throws {
        let value: JSONValue = .object([
            ("text", .string("line 1\nline 2\t\u{01}\u{7F}\"quoted\" \\ é 😀")),
            ("n", .integer(-42)),
            ("d", .double(0.25)),
            ("list", .array([.null, .bool(true), .object([])])),
        ])
        let text = value.serialized()
        #expect(!text.contains("\n"))
        #expect(try parser.parse(text) == value)
    }

    @Test("random mutations of valid JSON never trap and either parse or throw")
    func randomMutations() {
        let seed = Array(
            #"{"version":1,"command":"run-now","job":"a\u00e9","wait":true,"list":[1,2.5,-3e2,null,"x"]}"#.utf8
        )
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<20_000 {
            var bytes = seed
            for _ in 0..<Int(generator.next() % 4 + 1) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes.remove(at: position)
                default: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: position)
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            if let value = try? parser.parse(bytes) {
                // Whatever parses must print to something that parses back to the same value.
                #expect((try? parser.parse(value.serialized())) == value)
            }
            _ = try? ControlProtocol.decodeRequest(bytes)
        }
    }
}
