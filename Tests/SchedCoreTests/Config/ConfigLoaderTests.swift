import SchedCore
import SchedCron
import SchedTime
import Testing

@Suite struct ConfigLoaderTests {
    // MARK: - Defaults

    @Test("a minimal job gets every documented default")
    func defaults() throws {
        let result = ConfigFixture.load(
            """
            [jobs.a]
            every = "5m"
            command = ["true"]
            """
        )
        let config = try #require(result.config)
        #expect(result.diagnostics.isEmpty)
        let settings = config.settings
        #expect(settings.zone == Zone.utc)
        #expect(settings.stateDirectory == "/var/lib/schedd")
        #expect(settings.socketPath == "/run/schedd/control.sock")
        #expect(settings.socketMode == 0o660)
        #expect(settings.shutdownGrace == .seconds(30))
        #expect(settings.maxConcurrent == 64)
        #expect(settings.history == 100)
        #expect(settings.onInterrupted == .skip)
        #expect(settings.logFormat == .text)
        let job = try #require(config.job("a"))
        #expect(job.timeout == nil)
        #expect(job.killGrace == .seconds(10))
        #expect(job.misfireGrace == .seconds(300))
        #expect(job.coalesce)
        #expect(job.maxInstances == 1)
        #expect(job.onOverlap == .skip)
        #expect(job.retry == .none)
        #expect(job.jitter == .zero)
        #expect(job.enabled)
        #expect(!job.replaceExisting)
        #expect(job.history == 100)
        #expect(job.trigger == .every(.seconds(300), anchor: nil))
        #expect(job.triggerText == "every 5m")
        #expect(job.action == .command(["true"]))
        #expect(job.location == SourceLocation(file: "schedules.toml", line: 1, column: 7))
    }

    @Test("[scheduler] job settings become every job's defaults, and jobs override them")
    func schedulerDefaults() throws {
        let result = ConfigFixture.load(
            """
            [scheduler]
            timezone = "Europe/Berlin"
            state_dir = "state"
            socket_mode = 0o640
            timeout = "1h"
            max_instances = 2
            on_overlap = "queue"
            retry = { attempts = 3, backoff = "2s" }
            on_failure = ["notify", "failed"]
            history = 7
            on_interrupted = "rerun"

            [jobs.inherit]
            every = "1m"
            shell = "true"

            [jobs.override]
            every = "1m"
            shell = "true"
            timeout = "5s"
            on_overlap = "replace"
            retry = { factor = 3 }
            history = 2
            """,
        )
        let config = try #require(result.config, "\(result.diagnostics)")
        #expect(config.settings.zone.identifier == "Europe/Berlin")
        #expect(config.settings.stateDirectory == "state")
        #expect(config.settings.socketMode == 0o640)
        let inherit = try #require(config.job("inherit"))
        #expect(inherit.timeout == .seconds(3600))
        #expect(inherit.maxInstances == 2)
        #expect(inherit.onOverlap == .queue)
        #expect(inherit.retry == RetryPolicy(attempts: 3, backoff: .seconds(2), factor: 2, maxDelay: .seconds(300)))
        #expect(inherit.onFailure == ["notify", "failed"])
        #expect(inherit.history == 7)
        #expect(inherit.onInterrupted == .rerun)
        #expect(inherit.zone.identifier == "Europe/Berlin")
        let override = try #require(config.job("override"))
        #expect(override.timeout == .seconds(5))
        #expect(override.onOverlap == .replace)
        // A job's retry table starts from the scheduler's retry policy.
        #expect(override.retry == RetryPolicy(attempts: 3, backoff: .seconds(2), factor: 3, maxDelay: .seconds(300)))
        #expect(override.history == 2)
    }

    @Test("relative paths resolve against the folder of the main file")
    func relativePaths() throws {
        let result = ConfigFixture.load(
            [
                "/etc/schedd/schedules.toml": """
                [scheduler]
                state_dir = "state"
                metrics_file = "/var/lib/schedd/metrics.prom"
                """
            ],
            main: "/etc/schedd/schedules.toml"
        )
        let config = try #require(result.config)
        #expect(config.settings.stateDirectory == "/etc/schedd/state")
        #expect(config.settings.metricsFile == "/var/lib/schedd/metrics.prom")
    }

    @Test("socket_mode accepts an octal string or an integer", arguments: [("\"0600\"", 0o600), ("0o755", 0o755)])
    func socketMode(_ text: String, _ expected: Int) throws {
        let config = try #require(ConfigFixture.load("[scheduler]\nsocket_mode = \(text)\n").config)
        #expect(config.settings.socketMode == expected)
    }

    @Test("a decimal socket_mode above 0o777 is an error")
    func decimalSocketMode() {
        let result = ConfigFixture.load("[scheduler]\nsocket_mode = 660\n")
        #expect(
            result.errors.map(\.headline) == [
                "schedules.toml:2:15: error: 'socket_mode' 660 is not a permission mode; write it as \"0660\" or 0o660"
            ]
        )
    }

    // MARK: - Durations

    @Test(
        "durations are unit strings",
        arguments: [
            ("90s", Duration.seconds(90)), ("5m", .seconds(300)), ("1h30m", .seconds(5400)), ("2d", .seconds(172_800)),
            ("250ms", .milliseconds(250)),
        ]
    )
    func durations(_ text: String, _ expected: Duration) throws {
        let config = try #require(
            ConfigFixture.load("[jobs.a]\nevery = \"\(text)\"\nshell = \"true\"\nkill_grace = \"\(text)\"\n").config
        )
        #expect(config.job("a")?.killGrace == expected)
        #expect(config.job("a")?.trigger == .every(expected, anchor: nil))
    }

    // MARK: - Triggers

    @Test(
        "at accepts an offset date-time, an RFC 3339 string, or a local date-time in the job's zone",
        arguments: [
            "2027-01-15T09:00:00+01:00",
            "\"2027-01-15T09:00:00+01:00\"",
            "\"2027-01-15T08:00:00Z\"",
            "2027-01-15T09:00:00",
        ]
    )
    func atForms(_ text: String) throws {
        let result = ConfigFixture.load(
            "[jobs.a]\ntimezone = \"Europe/Berlin\"\nat = \(text)\nshell = \"true\"\n"
        )
        let job = try #require(result.config?.job("a"), "\(result.diagnostics)")
        #expect(job.trigger == .at(ConfigFixture.instant("2027-01-15T08:00:00Z")))
        #expect(job.triggerText == "at 2027-01-15T09:00:00+01:00")
    }

    @Test("a repeated local date-time means its first occurrence")
    func repeatedLocalTime() throws {
        let result = ConfigFixture.load(
            "[scheduler]\ntimezone = \"Europe/Berlin\"\n[jobs.a]\nat = 2027-10-31T02:30:00\nshell = \"true\"\n"
        )
        let job = try #require(result.config?.job("a"))
        #expect(job.trigger == .at(ConfigFixture.instant("2027-10-31T00:30:00Z")))
    }

    @Test("a past 'at' loads with a warning, and has no next firing")
    func pastAt() throws {
        let result = ConfigFixture.load("[jobs.a]\nat = 2020-01-01T00:00:00Z\nshell = \"true\"\n")
        let job = try #require(result.config?.job("a"))
        #expect(job.nextFire(after: ConfigFixture.now) == nil)
        #expect(
            ConfigFixture.headlines(result) == [
                "schedules.toml:2:6: warning: 'at' (2020-01-01T00:00:00+00:00) is in the past; job 'a' will not fire"
            ]
        )
    }

    @Test("start and end bound the firings; start anchors an interval")
    func window() throws {
        let result = ConfigFixture.load(
            """
            [jobs.a]
            every = "1h"
            shell = "true"
            start = 2026-12-01T00:10:00Z
            end = "2026-12-02T00:00:00Z"
            """
        )
        let job = try #require(result.config?.job("a"))
        let start = ConfigFixture.instant("2026-12-01T00:10:00Z")
        #expect(job.start == start)
        #expect(job.end == ConfigFixture.instant("2026-12-02T00:00:00Z"))
        #expect(job.trigger == .every(.seconds(3600), anchor: start))
        #expect(job.nextFire(after: ConfigFixture.now) == ConfigFixture.instant("2026-12-01T01:10:00Z"))
        #expect(
            job.nextFire(after: ConfigFixture.instant("2026-12-01T05:30:00Z"))
                == ConfigFixture.instant("2026-12-01T06:10:00Z")
        )
        #expect(job.nextFire(after: ConfigFixture.instant("2026-12-01T23:30:00Z")) == nil)
    }

    @Test("an interval whose next firing lies past the year 2262 has none, instead of overflowing")
    func intervalOverflow() throws {
        let job = try #require(
            ConfigFixture.load("[jobs.a]\nevery = \"36500d\"\nstart = 2200-01-01T00:00:00Z\nshell = \"x\"\n").config?
                .job("a")
        )
        #expect(job.nextFire(after: ConfigFixture.now) == nil)
    }

    @Test("cron zone: CRON_TZ prefix, else the job's timezone, else the scheduler's, else the system zone")
    func cronZonePrecedence() throws {
        let result = ConfigFixture.load(
            [
                "schedules.toml": """
                [scheduler]
                timezone = "America/New_York"
                [jobs.prefix]
                cron = "CRON_TZ=Asia/Tokyo 0 9 * * *"
                timezone = "Europe/Berlin"
                shell = "true"
                [jobs.job]
                cron = "0 9 * * *"
                timezone = "Europe/Berlin"
                shell = "true"
                [jobs.scheduler]
                cron = "0 9 * * *"
                shell = "true"
                """,
                "system.toml": "[jobs.system]\ncron = \"0 9 * * *\"\nshell = \"true\"\n",
            ],
        )
        let config = try #require(result.config, "\(result.diagnostics)")
        func zone(_ id: String) -> String? {
            guard case .cron(_, let zone, _)? = config.job(id)?.trigger else { return nil }
            return zone.identifier
        }
        #expect(zone("prefix") == "Asia/Tokyo")
        #expect(zone("job") == "Europe/Berlin")
        #expect(zone("scheduler") == "America/New_York")
        let system = ConfigFixture.load(
            ["system.toml": "[jobs.system]\ncron = \"0 9 * * *\"\nshell = \"true\"\n"],
            main: "system.toml",
            systemZone: try Zone.named("Australia/Sydney")
        )
        guard case .cron(_, let systemZone, _)? = system.config?.job("system")?.trigger else {
            Issue.record("no cron trigger")
            return
        }
        #expect(systemZone.identifier == "Australia/Sydney")
    }

    @Test("cron triggers use the expression's DST default unless dst_gap / dst_repeat override it")
    func dstPolicy() throws {
        let config = try #require(
            ConfigFixture.load(
                """
                [jobs.fixed]
                cron = "30 2 * * *"
                shell = "true"
                [jobs.wild]
                cron = "*/5 * * * *"
                shell = "true"
                [jobs.custom]
                cron = "30 2 * * *"
                dst_gap = "skip"
                dst_repeat = "both"
                shell = "true"
                """
            ).config
        )
        func policy(_ id: String) -> DSTPolicy? {
            guard case .cron(_, _, let policy)? = config.job(id)?.trigger else { return nil }
            return policy
        }
        #expect(policy("fixed") == .fixedTime)
        #expect(policy("wild") == .wallClock)
        #expect(policy("custom") == DSTPolicy(gap: .skip, repeated: .both))
    }

    @Test(
        "H fields hash on each job's id, also when jobs share the expression text",
        arguments: ["H * * * *", "h 5 * * *"]
    )
    func hashSeed(_ text: String) throws {
        let config = try #require(
            ConfigFixture.load(
                "[jobs.alpha]\ncron = \"\(text)\"\nshell = \"true\"\n[jobs.omega]\ncron = \"\(text)\"\nshell = \"true\"\n"
            ).config
        )
        for id in ["alpha", "omega"] {
            let expected = try CronExpression(parsing: text, hashSeed: id)
            guard case .cron(let expression, _, _)? = config.job(id)?.trigger else {
                Issue.record("no cron trigger")
                return
            }
            #expect(expression == expected)
        }
        // The two ids hash to different minutes, so sharing one parse would be caught above.
        #expect(
            try CronExpression(parsing: text, hashSeed: "alpha") != CronExpression(parsing: text, hashSeed: "omega")
        )
    }

    @Test("jobs sharing an expression each get DST notes naming themselves")
    func sharedNotes() {
        let result = ConfigFixture.load(
            """
            [scheduler]
            timezone = "Europe/Berlin"
            [jobs.one]
            cron = "30 2 * * *"
            shell = "true"
            [jobs.two]
            cron = "30 2 * * *"
            shell = "true"
            """
        )
        #expect(result.notes.count == 4)
        #expect(result.notes.filter { $0.message.contains("'one'") }.map(\.location.line) == [4, 4])
        #expect(result.notes.filter { $0.message.contains("'two'") }.map(\.location.line) == [7, 7])
    }

    @Test("@reboot is a cron trigger with no next firing")
    func reboot() throws {
        let job = try #require(ConfigFixture.load("[jobs.a]\ncron = \"@reboot\"\nshell = \"true\"\n").config?.job("a"))
        #expect(job.trigger.isReboot)
        #expect(job.nextFire(after: ConfigFixture.now) == nil)
    }

    // MARK: - Actions

    @Test("an http check has GET and any-2xx defaults")
    func httpDefaults() throws {
        let job = try #require(
            ConfigFixture.load("[jobs.a]\nevery = \"1m\"\nhttp = { url = \"https://example.com/health\" }\n").config?
                .job("a")
        )
        guard case .http(let check) = job.action else {
            Issue.record("not an http action")
            return
        }
        #expect(check.method == "GET")
        #expect(check.expectStatus == nil)
        #expect(check.accepts(status: 204))
        #expect(!check.accepts(status: 301))
    }

    @Test("an http check reads every option")
    func httpOptions() throws {
        let job = try #require(
            ConfigFixture.load(
                """
                [jobs.a]
                every = "1m"
                http = { url = "https://example.com/hook", method = "post", headers = { Authorization = "Bearer x" }, body = "{}", expect_status = 201, expect_body = "ok", timeout = "5s" }
                env = { LANG = "C" }
                working_dir = "/srv"
                user = "app"
                """
            ).config?.job("a")
        )
        #expect(
            job.action
                == .http(
                    HTTPCheck(
                        url: "https://example.com/hook",
                        method: "POST",
                        headers: [HTTPHeader(name: "Authorization", value: "Bearer x")],
                        body: "{}",
                        expectStatus: [201],
                        expectBody: "ok",
                        timeout: .seconds(5)
                    )
                )
        )
        #expect(job.environment == [EnvironmentVariable(name: "LANG", value: "C")])
        #expect(job.workingDirectory == "/srv")
        #expect(job.user == "app")
    }

    @Test("retry delays grow by the factor up to max_delay")
    func retryDelays() {
        let policy = RetryPolicy(attempts: 4, backoff: .seconds(1), factor: 3, maxDelay: .seconds(5))
        #expect(
            (1...5).map { policy.delay(beforeRetry: $0) } == [.seconds(1), .seconds(3), .seconds(5), .seconds(5), nil]
        )
    }

    // MARK: - Warnings

    @Test("warnings: DST keys on a non-cron job, and an end before the next firing")
    func warnings() throws {
        let result = ConfigFixture.load(
            """
            [jobs.a]
            every = "1h"
            dst_gap = "skip"
            shell = "true"
            [jobs.b]
            cron = "0 0 * * *"
            end = 2026-01-01T00:00:00Z
            shell = "true"
            """
        )
        #expect(result.config != nil)
        #expect(
            ConfigFixture.headlines(result) == [
                "schedules.toml:3:1: warning: 'dst_gap' only applies to cron triggers; it has no effect here",
                "schedules.toml:6:8: warning: job 'b' has no firing before its 'end' (2026-01-01T00:00:00+00:00)",
            ]
        )
    }

    @Test("environment names, HTTP methods and header values are checked")
    func actionDetails() {
        let result = ConfigFixture.load(
            """
            [jobs.a]
            every = "1h"
            http = { url = "https://example.com/", method = "GE T", headers = { X = 1 } }
            env = { 1BAD = "x", GOOD = "y" }
            """
        )
        #expect(
            result.errors.map(\.headline) == [
                "schedules.toml:3:49: error: invalid HTTP method \"GE T\" for 'http.method'",
                "schedules.toml:3:73: error: expected a string for 'http.headers.X', found integer",
                "schedules.toml:4:9: error: invalid environment variable name '1BAD'; use letters, digits and '_', "
                    + "not starting with a digit",
            ]
        )
    }

    // MARK: - Files

    @Test("an unreadable main file is one error naming it")
    func unreadableFile() {
        let result = ConfigFixture.load([:], main: "/etc/schedd/schedules.toml")
        #expect(
            ConfigFixture.headlines(result) == [
                "/etc/schedd/schedules.toml: error: cannot read '/etc/schedd/schedules.toml': No such file or directory"
            ]
        )
    }
}
