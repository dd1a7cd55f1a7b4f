import SchedCore
import Testing

@Suite struct ConfigDiagnosticTests {
    @Test("every error in every file is reported in one pass")
    func onePass() {
        let result = ConfigFixture.load(
            [
                "schedules.toml": """
                [scheduler]
                include = "d/*.toml"
                max_concurrent = 0
                shutdown_grace = 30

                [jobs.a]
                cron = "0 25 * * *"
                shell = "true"

                [jobs.b]
                every = "1m"

                [jobs."c d"]
                every = "1m"
                shell = "true"
                colaesce = true
                """,
                "d/1.toml": "[jobs.x]\nevery = \"5m\nshell = \"true\"\n",
                "d/2.toml": "[jobs.y]\nat = \"soon\"\nshell = \"true\"\n",
            ]
        )
        #expect(result.config == nil)
        #expect(
            result.errors.map(\.location.description) == [
                "schedules.toml:3:18", "schedules.toml:4:18", "schedules.toml:7:11", "schedules.toml:10:7",
                "schedules.toml:13:7", "schedules.toml:16:1", "d/1.toml:2:12", "d/2.toml:2:6",
            ]
        )
    }

    @Test("renders like the Swift compiler: headline, source line, caret under the column")
    func rendering() throws {
        let result = ConfigFixture.load("[jobs.a]\n\tcron = \"0 9 * * Mnd\"\nshell = \"true\"\n")
        let error = try #require(result.errors.first)
        #expect(
            error.description == """
                schedules.toml:2:18: error: unknown weekday 'Mnd' in 'cron'
                \tcron = "0 9 * * Mnd"
                \t                ^
                """
        )
    }

    @Test("a whole-file diagnostic renders without line or caret")
    func wholeFile() {
        let diagnostic = ConfigDiagnostic(
            .warning,
            "something",
            at: SourceLocation(file: "x.toml", line: 0, column: 0),
            sourceLine: "ignored"
        )
        #expect(diagnostic.description == "x.toml: warning: something")
    }
}
