import Testing

/// `schedd --check`, `--help`, `--version` and usage errors.
@Suite struct DaemonCommandLineTests {
    @Test("--check accepts the repository's schedules.toml")
    func checkExample() throws {
        let result = try run("schedd", ["--check", "--config", Binaries.packageRoot + "/schedules.toml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("3 jobs, valid"))
    }

    @Test("--check reports every error as file:line:column and exits 1")
    func checkErrors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write(
            "[jobs.a]\ncron = \"0 3 * * Mnd\"\ncommand = [\"true\"]\ntimout = \"1m\"\n",
            to: "s.toml"
        )
        let result = try run("schedd", ["--config", file, "--check"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):2:17: error: unknown weekday 'Mnd'"))
        #expect(result.stderr.contains("\(file):4:1: error: "))
        #expect(result.stderr.contains("2 errors in \(file)"))
    }

    @Test("an invalid config stops the daemon from starting, exit 1")
    func invalidConfigDoesNotStart() throws {
        let result = try run("schedd", ["--config", "/nonexistent/schedules.toml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/schedules.toml: error: cannot read"))
        #expect(result.stderr.contains("schedd: not starting"))
    }

    @Test("--help prints usage with the default config path; --version prints the version")
    func helpAndVersion() throws {
        let help = try run("schedd", ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: schedd [--config PATH] [--check]"))
        #expect(help.stdout.contains("/etc/schedd/schedules.toml"))
        let version = try run("schedd", ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("schedd 0."))
    }

    @Test(
        "unknown options and a missing PATH are usage errors, exit 2",
        arguments: [["--bogus"], ["--config"], ["extra"]]
    )
    func usageErrors(arguments: [String]) throws {
        let result = try run("schedd", arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("USAGE: schedd"))
    }
}
