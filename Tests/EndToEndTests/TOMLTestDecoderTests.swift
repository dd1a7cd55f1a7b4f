import Testing

/// The toml-test decoder interface: TOML on stdin, tagged JSON on stdout.
@Suite struct TOMLTestDecoderTests {
    @Test("valid TOML becomes tagged JSON")
    func valid() throws {
        let result = try run("toml-test-decoder", [], stdin: "a = 1\n[t]\nb = \"x\"\n")
        #expect(result.status == 0)
        let compact = result.stdout.filter { !$0.isWhitespace }
        #expect(compact.contains("\"a\":{\"type\":\"integer\",\"value\":\"1\"}"))
        #expect(compact.contains("\"b\":{\"type\":\"string\",\"value\":\"x\"}"))
    }

    @Test("invalid TOML exits 1 with a positioned message")
    func invalid() throws {
        let result = try run("toml-test-decoder", [], stdin: "a = 1\na = 2\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("2:1"))
        #expect(result.stdout.isEmpty)
    }
}
