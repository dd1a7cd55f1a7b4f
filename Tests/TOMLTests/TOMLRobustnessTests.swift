import TOML
import Testing

/// Hostile and oversized input fails cleanly or decodes, without crashing or hanging.
@Suite struct TOMLRobustnessTests {
    private static let tenMegabytes = 10 * 1024 * 1024

    @Test("a 10 MB string on one line decodes")
    func hugeString() throws {
        let source = "s = \"" + String(repeating: "x", count: Self.tenMegabytes) + "\" # end"
        let table = try TOMLDecoder.decode(source)
        guard case .string(let text) = try #require(table["s"]).kind else {
            Issue.record("s is not a string")
            return
        }
        #expect(text.utf8.count == Self.tenMegabytes)
    }

    @Test("a 10 MB line of array elements keeps exact columns")
    func hugeLineOfValues() throws {
        let element = "\"" + String(repeating: "é", count: 49) + "\""  // 51 scalars, 100 bytes
        let count = Self.tenMegabytes / 102
        let source = "a = [" + Array(repeating: element, count: count).joined(separator: ", ") + "]"
        let table = try TOMLDecoder.decode(source)
        guard case .array(let elements) = try #require(table["a"]).kind else {
            Issue.record("a is not an array")
            return
        }
        #expect(elements.count == count)
        // Element i starts after "a = [" (5 scalars) and i elements of 51 scalars plus ", ".
        #expect(elements.last?.position == TOMLPosition(line: 1, column: 6 + (count - 1) * 53))
    }

    /// Documents nesting 100,000 levels deep, named so test output stays readable.
    enum HostileNesting: String, CaseIterable, Sendable {
        case arrays, inlineTables, arraysOfInlineTables, dottedKey, tableHeader

        var source: String {
            switch self {
            case .arrays: return "a = " + String(repeating: "[", count: 100_000)
            case .inlineTables: return "a = " + String(repeating: "{ a = ", count: 100_000)
            case .arraysOfInlineTables: return "a = " + String(repeating: "[{ a = ", count: 50_000)
            case .dottedKey: return Array(repeating: "a", count: 100_000).joined(separator: ".") + " = 1"
            case .tableHeader: return "[" + Array(repeating: "a", count: 100_000).joined(separator: ".") + "]"
            }
        }

        var message: String {
            switch self {
            case .arrays, .inlineTables, .arraysOfInlineTables: return "arrays and tables nest deeper than 256 levels"
            case .dottedKey, .tableHeader: return "dotted key has more than 256 parts"
            }
        }
    }

    @Test(
        "100,000-deep nesting fails with a depth error instead of overflowing the stack",
        arguments: HostileNesting.allCases
    )
    func deepNesting(nesting: HostileNesting) throws {
        let error = try #require(throws: TOMLError.self) { try TOMLDecoder.decode(nesting.source) }
        #expect(error.message == nesting.message)
        #expect(error.position.line == 1)
    }

    @Test("arrays nest up to the limit; one more level is an error")
    func arrayNestingLimit() throws {
        let deepest = "a = " + String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        var value = try #require(try TOMLDecoder.decode(deepest)["a"])
        var depth = 1
        while case .array(let elements) = value.kind, let first = elements.first {
            value = first
            depth += 1
        }
        #expect(depth == 256)
        let tooDeep = "a = " + String(repeating: "[", count: 257) + String(repeating: "]", count: 257)
        let error = try #require(throws: TOMLError.self) { try TOMLDecoder.decode(tooDeep) }
        #expect(error.position == TOMLPosition(line: 1, column: 261))
    }

    @Test("inline tables nest up to the limit; one more level is an error")
    func inlineTableNestingLimit() throws {
        func nested(_ levels: Int) -> String {
            "a = " + String(repeating: "{ a = ", count: levels - 1) + "{}" + String(repeating: " }", count: levels - 1)
        }
        var value = try #require(try TOMLDecoder.decode(nested(256))["a"])
        var depth = 1
        while case .table(let table) = value.kind, let inner = table["a"] {
            value = inner
            depth += 1
        }
        #expect(depth == 256)
        #expect(throws: TOMLError.self) { try TOMLDecoder.decode(nested(257)) }
    }

    @Test("tables deeper than the limit built from many headers are rejected")
    func deepTablesAcrossHeaders() throws {
        var source = ""
        var path = "t"
        for _ in 0..<300 {
            source += "[\(path)]\n"
            path += ".t"
        }
        let error = try #require(throws: TOMLError.self) { try TOMLDecoder.decode(source) }
        #expect(error.message.contains("256"))
    }

    @Test("large tables detect duplicates through the key index")
    func largeTables() throws {
        var source = ""
        for index in 0..<20_000 { source += "[jobs.job\(index)]\ncron = \"\(index % 60) * * * *\"\n" }
        let table = try TOMLDecoder.decode(source)
        guard case .table(let jobs) = try #require(table["jobs"]).kind else {
            Issue.record("jobs is not a table")
            return
        }
        #expect(jobs.entries.count == 20_000)
        #expect(jobs.entries.last?.key == "job19999")

        let duplicate = source + "[jobs.job123]\n"
        let error = try #require(throws: TOMLError.self) { try TOMLDecoder.decode(duplicate) }
        #expect(error.message == "table 'jobs.job123' is already defined at 247:1")
        #expect(error.position == TOMLPosition(line: 40_001, column: 7))
    }

    @Test("NUL bytes anywhere are rejected", arguments: [0, 3, 5, 7])
    func nulBytes(offset: Int) throws {
        var bytes = Array("a = \"b\"\n".utf8)
        bytes[offset] = 0
        let error = try #require(throws: TOMLError.self) { try TOMLDecoder.decode(bytes) }
        #expect(error.position == TOMLPosition(line: 1, column: offset + 1))
    }

    @Test("every prefix of a valid document decodes or throws")
    func everyPrefix() {
        let document = Array(
            #"""
            [a]
            b = { c = [1, 2.5, "three", '''four'''], d.e = 1979-05-27T07:32:00.5-07:00 }
            [[f]]
            g = """multi \
                line""" # comment
            h = 0x_ff
            """#.utf8
        )
        var outcomes = 0
        for length in 0...document.count {
            _ = try? TOMLDecoder.decode(Array(document[0..<length]))
            outcomes += 1
        }
        #expect(outcomes == document.count + 1)
    }
}
