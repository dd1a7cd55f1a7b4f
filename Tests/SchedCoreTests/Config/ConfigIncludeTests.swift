import SchedCore
import Testing

@Suite struct ConfigIncludeTests {
    static let main = """
        [scheduler]
        include = "schedules.d/*.toml"

        [jobs.backup]
        cron = "0 3 * * *"
        shell = "backup"
        """

    @Test("drop-ins load in name order, skipping hidden and non-matching files")
    func order() throws {
        let result = ConfigFixture.load(
            [
                "/etc/schedd/schedules.toml": ConfigIncludeTests.main,
                "/etc/schedd/schedules.d/20-b.toml": "[jobs.b]\nevery = \"1m\"\nshell = \"b\"\n",
                "/etc/schedd/schedules.d/10-a.toml": "[jobs.a]\nevery = \"1m\"\nshell = \"a\"\n",
                "/etc/schedd/schedules.d/.10-hidden.toml": "[jobs.hidden]\nevery = \"1m\"\nshell = \"h\"\n",
                "/etc/schedd/schedules.d/README": "not toml",
            ],
            main: "/etc/schedd/schedules.toml"
        )
        let config = try #require(result.config, "\(result.diagnostics)")
        #expect(config.jobs.map(\.id) == ["backup", "a", "b"])
        #expect(
            config.files == [
                "/etc/schedd/schedules.toml", "/etc/schedd/schedules.d/10-a.toml", "/etc/schedd/schedules.d/20-b.toml",
            ]
        )
        #expect(
            config.job("a")?.location == SourceLocation(file: "/etc/schedd/schedules.d/10-a.toml", line: 1, column: 7)
        )
    }

    @Test("several patterns apply in the order written; a file matched twice loads once")
    func severalPatterns() throws {
        let result = ConfigFixture.load(
            [
                "schedules.toml":
                    "[scheduler]\ninclude = [\"late/*.toml\", \"early/[0-9]?-*.toml\", \"late/x.toml\"]\n",
                "early/10-e.toml": "[jobs.e]\nevery = \"1m\"\nshell = \"e\"\n",
                "early/x.toml": "[jobs.ignored]\nevery = \"1m\"\nshell = \"x\"\n",
                "late/x.toml": "[jobs.l]\nevery = \"1m\"\nshell = \"l\"\n",
            ]
        )
        let config = try #require(result.config, "\(result.diagnostics)")
        #expect(config.jobs.map(\.id) == ["l", "e"])
    }

    @Test("a drop-in redefining a job is an error naming both places")
    func conflict() {
        let result = ConfigFixture.load(
            [
                "schedules.toml": ConfigIncludeTests.main,
                "schedules.d/backup.toml": "\n[jobs.backup]\ncron = \"0 4 * * *\"\nshell = \"other\"\n",
            ]
        )
        #expect(result.config == nil)
        #expect(
            ConfigFixture.headlines(result) == [
                "schedules.d/backup.toml:2:7: error: job 'backup' is already defined at schedules.toml:4:7; "
                    + "set 'replace_existing = true' in this table to replace it"
            ]
        )
    }

    @Test("replace_existing = true replaces the earlier job in place")
    func replaceExisting() throws {
        let result = ConfigFixture.load(
            [
                "schedules.toml": ConfigIncludeTests.main + "\n[jobs.after]\nevery = \"1m\"\nshell = \"x\"\n",
                "schedules.d/backup.toml":
                    "[jobs.backup]\nreplace_existing = true\ncron = \"0 4 * * *\"\nshell = \"other\"\n",
            ]
        )
        let config = try #require(result.config, "\(result.diagnostics)")
        #expect(config.jobs.map(\.id) == ["backup", "after"])
        let backup = try #require(config.job("backup"))
        #expect(backup.action == .shell("other"))
        #expect(backup.triggerText == "0 4 * * *")
        #expect(backup.replaceExisting)
    }

    @Test("a drop-in may not contain [scheduler]")
    func schedulerInDropIn() {
        let result = ConfigFixture.load(
            [
                "schedules.toml": ConfigIncludeTests.main,
                "schedules.d/x.toml": "[scheduler]\nmax_concurrent = 2\n",
            ]
        )
        #expect(
            ConfigFixture.headlines(result) == [
                "schedules.d/x.toml:1:2: error: a drop-in may only define jobs; move [scheduler] settings to schedules.toml"
            ]
        )
    }

    @Test("an include pattern matching nothing is a warning, not an error")
    func emptyInclude() throws {
        let result = ConfigFixture.load(["schedules.toml": ConfigIncludeTests.main])
        #expect(result.config != nil)
        #expect(
            ConfigFixture.headlines(result).first?.hasPrefix(
                "schedules.toml:2:11: warning: include pattern 'schedules.d/*.toml' matches no files"
            ) == true
        )
    }

    @Test("wildcards outside the last path component are an error")
    func wildcardFolder() {
        let result = ConfigFixture.load(["schedules.toml": "[scheduler]\ninclude = \"*/jobs.toml\"\n"])
        #expect(
            ConfigFixture.headlines(result) == [
                "schedules.toml:2:11: error: only the last path component of 'include' may contain wildcards, "
                    + "as in \"schedules.d/*.toml\""
            ]
        )
    }
}

@Suite struct GlobPatternTests {
    @Test(
        "matches shell-style patterns",
        arguments: [
            ("*.toml", "a.toml", true), ("*.toml", "a.toml.bak", false), ("*.toml", ".a.toml", false),
            (".*.toml", ".a.toml", true), ("?-x", "1-x", true), ("?-x", "12-x", false), ("[0-9]*", "5a", true),
            ("[!0-9]*", "5a", false), ("[^0-9]*", "a5", true), ("a[bc]d", "acd", true), ("a[bc]d", "aed", false),
            ("*a*a*a*b", String(repeating: "a", count: 200), false), ("[", "[", true), ("**", "", true),
            ("x", "x", true), ("x", "", false),
        ]
    )
    func matches(_ pattern: String, _ name: String, _ expected: Bool) {
        #expect(GlobPattern(pattern).matches(name) == expected)
    }
}
