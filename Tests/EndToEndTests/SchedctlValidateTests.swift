import Testing

/// `schedctl validate`, run as the real binary on real files.
@Suite struct SchedctlValidateTests {
    @Test("the repository's schedules.toml is valid and lists its three jobs")
    func exampleConfig() throws {
        let result = try run("schedctl", ["validate", Binaries.packageRoot + "/schedules.toml"])
        #expect(result.status == 0, "\(result.stderr)")
        for job in ["cleanup_expired_data", "aggregate_hourly_stats", "check_external_services"] {
            #expect(result.stdout.contains(job))
        }
        #expect(result.stdout.contains("3 jobs, valid"))
    }

    @Test("every error is reported at once with file:line:column and a caret, exit 1")
    func errors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write(
            """
            [scheduler]
            timezone = "Europe/Berlin"

            [jobs.backup]
            cron = "0 3 * * Mnd"
            command = ["/usr/local/bin/backup"]

            [jobs.report]
            every = "5m"
            shell = "true"
            timout = "1m"
            """,
            to: "schedules.toml"
        )
        let result = try run("schedctl", ["validate", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):5:17: error: unknown weekday 'Mnd'"))
        #expect(result.stderr.contains("Mnd"))
        #expect(result.stderr.contains("\(file):11:1: error: "))
        #expect(result.stderr.contains("did you mean 'timeout'?"))
        #expect(result.stderr.contains("cron = \"0 3 * * Mnd\"\n                ^\n"))
        #expect(result.stderr.contains("2 errors"))
    }

    @Test("a drop-in redefining a job without replace_existing names both places")
    func dropInConflict() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let main = try folder.write(
            """
            [scheduler]
            include = "schedules.d/*.toml"

            [jobs.backup]
            cron = "0 3 * * *"
            shell = "backup"
            """,
            to: "schedules.toml"
        )
        let dropIn = try folder.write(
            """
            [jobs.backup]
            cron = "0 4 * * *"
            shell = "backup --full"
            """,
            to: "schedules.d/10-backup.toml"
        )
        let conflict = try run("schedctl", ["validate", main])
        #expect(conflict.status == 1)
        #expect(conflict.stderr.contains(dropIn + ":1:"))
        #expect(conflict.stderr.contains("schedules.toml:4"))

        try folder.write(
            """
            [jobs.backup]
            replace_existing = true
            cron = "0 4 * * *"
            shell = "backup --full"
            """,
            to: "schedules.d/10-backup.toml"
        )
        let replaced = try run("schedctl", ["validate", main])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stdout.contains("0 4 * * *"))
    }

    @Test("a missing file is a clear failure, exit 1")
    func missingFile() throws {
        let result = try run("schedctl", ["validate", "/nonexistent/schedules.toml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/schedules.toml"))
    }
}
