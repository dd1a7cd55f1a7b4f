import TOML
import Testing

/// Values remember where their first character is; entries remember where their key is.
@Suite struct TOMLPositionTests {
    private let document = #"""
        # schedules
        [scheduler]
        timezone = "Europe/Berlin"
          max   =   64

        [jobs.backup]
        cron = '0 3 * * *'
        command = [
            "tar",
            "czf",
        ]
        "clé€" = """
        multi
        line"""
        after = 1979-05-27T07:32:00Z
        retry = { attempts = 3, backoff.base = "1s" }

        [[hooks]]
        name = "a"
        [[hooks]]
        name = "b"
        """#

    private func table(_ value: TOMLValue?) throws -> TOMLTable {
        guard case .table(let table) = try #require(value).kind else { throw PositionTestError.notATable }
        return table
    }

    @Test("key and value positions of plain key/value pairs")
    func keyValuePositions() throws {
        let root = try TOMLDecoder.decode(document)
        let scheduler = try table(root["scheduler"])
        #expect(scheduler.entry("timezone")?.keyPosition == TOMLPosition(line: 3, column: 1))
        #expect(scheduler["timezone"]?.position == TOMLPosition(line: 3, column: 12))
        #expect(scheduler.entry("max")?.keyPosition == TOMLPosition(line: 4, column: 3))
        #expect(scheduler["max"]?.position == TOMLPosition(line: 4, column: 13))
    }

    @Test("tables start at their header, implicit tables at the key that created them")
    func tablePositions() throws {
        let root = try TOMLDecoder.decode(document)
        #expect(root["scheduler"]?.position == TOMLPosition(line: 2, column: 1))
        #expect(root.entry("scheduler")?.keyPosition == TOMLPosition(line: 2, column: 2))
        #expect(root["jobs"]?.position == TOMLPosition(line: 6, column: 2))
        let jobs = try table(root["jobs"])
        #expect(jobs["backup"]?.position == TOMLPosition(line: 6, column: 1))
        #expect(jobs.entry("backup")?.keyPosition == TOMLPosition(line: 6, column: 7))
    }

    @Test("array elements, multi-line strings and values after them")
    func nestedPositions() throws {
        let backup = try table(try table(TOMLDecoder.decode(document)["jobs"])["backup"])
        let command = try #require(backup["command"])
        #expect(command.position == TOMLPosition(line: 8, column: 11))
        guard case .array(let elements) = command.kind else {
            Issue.record("command is not an array")
            return
        }
        #expect(elements.map(\.position) == [TOMLPosition(line: 9, column: 5), TOMLPosition(line: 10, column: 5)])
        // Columns count Unicode scalars: the key `"clé€"` is 6 scalars but 9 bytes wide.
        #expect(backup["clé€"]?.position == TOMLPosition(line: 12, column: 10))
        #expect(backup.entry("after")?.keyPosition == TOMLPosition(line: 15, column: 1))
        #expect(backup["after"]?.position == TOMLPosition(line: 15, column: 9))
        let retry = try table(backup["retry"])
        #expect(backup["retry"]?.position == TOMLPosition(line: 16, column: 9))
        #expect(retry["attempts"]?.position == TOMLPosition(line: 16, column: 22))
        let backoff = try table(retry["backoff"])
        #expect(retry["backoff"]?.position == TOMLPosition(line: 16, column: 25))
        #expect(backoff.entry("base")?.keyPosition == TOMLPosition(line: 16, column: 33))
    }

    @Test("arrays of tables start at their first header; each element at its own")
    func arrayOfTablesPositions() throws {
        let root = try TOMLDecoder.decode(document)
        let hooks = try #require(root["hooks"])
        #expect(hooks.position == TOMLPosition(line: 18, column: 1))
        guard case .array(let elements) = hooks.kind else {
            Issue.record("hooks is not an array")
            return
        }
        #expect(elements.map(\.position) == [TOMLPosition(line: 18, column: 1), TOMLPosition(line: 20, column: 1)])
        #expect(try table(elements[1])["name"]?.position == TOMLPosition(line: 21, column: 8))
    }
}

private enum PositionTestError: Error {
    case notATable
}
