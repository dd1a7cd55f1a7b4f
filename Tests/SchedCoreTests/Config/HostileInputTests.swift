import SchedCore
import SchedTime
import Testing

/// Input an attacker or a broken editor could produce: always diagnostics, never a crash or a hang.
@Suite struct HostileInputTests {
    func load(_ bytes: [UInt8]) -> ConfigLoadResult {
        ConfigLoader(fileSystem: InMemoryFileSystem(bytes: ["schedules.toml": bytes]), systemZone: .utc)
            .load(path: "schedules.toml", now: ConfigFixture.now)
    }

    @Test("malformed UTF-8 is one error at the bad byte")
    func malformedUTF8() throws {
        let result = load(Array("[jobs.a]\ndescription = \"".utf8) + [0xC3, 0x28] + Array("\"\n".utf8))
        #expect(result.config == nil)
        #expect(result.errors.count == 1)
        let error = try #require(result.errors.first)
        #expect(error.location.line == 2)
        #expect(error.location.column == 16)
    }

    @Test("a NUL byte is one error")
    func nulByte() throws {
        let result = load(Array("[jobs.a]\nshell = \"a".utf8) + [0] + Array("b\"\n".utf8))
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.location.line == 2)
    }

    @Test("a 10 MB line gives an error with a short source excerpt whose caret still points at the column")
    func hugeLine() throws {
        let filler = [UInt8](repeating: UInt8(ascii: "a"), count: 10 << 20)
        let result = load(Array("[jobs.a]\nevery = \"1m\"\nshell = \"true\"\ndescription = 42".utf8) + filler + [10])
        let error = try #require(result.errors.first)
        #expect(error.location.line == 4)
        let line = try #require(error.sourceLine)
        #expect(line.unicodeScalars.count < 200)
        let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        // The caret sits under the character the column names.
        let caretOffset = lines[2].unicodeScalars.count - 1
        let pointed = Array(lines[1].unicodeScalars)[caretOffset]
        let expected = Array("description = 42".unicodeScalars + filler.map { Unicode.Scalar($0) })[
            error.location.column - 1
        ]
        #expect(pointed == expected)
    }

    @Test("a 10 MB valid string value loads")
    func hugeValue() throws {
        let filler = [UInt8](repeating: UInt8(ascii: "a"), count: 10 << 20)
        let result = load(Array("[jobs.a]\nevery = \"1m\"\nshell = \"".utf8) + filler + Array("\"\n".utf8))
        guard case .shell(let text)? = result.config?.job("a")?.action else {
            Issue.record("no shell action: \(result.errors.map(\.headline))")
            return
        }
        #expect(text.utf8.count == 10 << 20)
    }

    @Test("deep nesting is an error, not a stack overflow", arguments: ["[", "{ a = "])
    func deepNesting(_ opener: String) {
        let result = load(Array(("[jobs.a]\nx = " + String(repeating: opener, count: 100_000)).utf8))
        #expect(result.config == nil)
        #expect(result.errors.count == 1)
    }

    @Test("hostile include patterns and many unknown keys stay cheap")
    func hostileKeys() {
        var text =
            "[scheduler]\ninclude = \"" + String(repeating: "*a", count: 500)
            + "b\"\n[jobs.a]\nevery = \"1m\"\nshell = \"x\"\n"
        for index in 0..<2000 { text += "k\(index) = 1\n" }
        let result = ConfigFixture.load(text)
        #expect(result.errors.count == 2000)
    }
}
