import SchedCore
import Testing

/// `metrics_file`, `metrics_listen`, `log_format` and `on_failure`: values and errors with positions.
@Suite struct ObservabilityConfigTests {
    @Test("metrics_listen, metrics_file and log_format are read from [scheduler]")
    func schedulerKeys() throws {
        let result = ConfigFixture.load(
            """
            [scheduler]
            metrics_file = "metrics/schedd.prom"
            metrics_listen = "127.0.0.1:9464"
            log_format = "json"
            """
        )
        let config = try #require(result.config, "\(result.diagnostics)")
        #expect(config.settings.metricsListen == ListenAddress(host: "127.0.0.1", port: 9464, family: .ipv4))
        #expect(config.settings.metricsListen?.description == "127.0.0.1:9464")
        #expect(config.settings.metricsFile == "metrics/schedd.prom")
        #expect(config.settings.logFormat == .json)
        let defaults = try #require(ConfigFixture.load("").config)
        #expect(defaults.settings.metricsListen == nil)
        #expect(defaults.settings.logFormat == .text)
    }

    @Test(
        "listen addresses that parse",
        arguments: [
            ("127.0.0.1:9464", "127.0.0.1", UInt16(9464), ListenAddress.Family.ipv4),
            ("0.0.0.0:1", "0.0.0.0", 1, .ipv4),
            ("[::1]:9464", "::1", 9464, .ipv6),
            ("[::]:65535", "::", 65535, .ipv6),
            ("[fe80::1:2]:80", "fe80::1:2", 80, .ipv6),
            ("[1:2:3:4:5:6:7:8]:80", "1:2:3:4:5:6:7:8", 80, .ipv6),
            ("[::ffff:192.0.2.1]:80", "::ffff:192.0.2.1", 80, .ipv6),
        ]
    )
    func goodAddresses(text: String, host: String, port: UInt16, family: ListenAddress.Family) throws {
        let address = try ListenAddress.parse(text).get()
        #expect(address == ListenAddress(host: host, port: port, family: family))
        #expect(address.description == text)
    }

    @Test(
        "listen addresses that do not",
        arguments: [
            "9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:94a4", "localhost:9464",
            "256.0.0.1:80", "127.0.0.01:80", "1.2.3:80", "::1:9464", "[::1:9464", "[]:80", "[1:2:3:4:5:6:7:8:9]:80",
            "[1::2::3]:80", "[12345::1]:80", "[::g]:80", ":9464", "127.0.0.1:+80",
        ]
    )
    func badAddresses(text: String) {
        #expect(throws: ListenAddressError.self) { try ListenAddress.parse(text).get() }
    }

    @Test(
        "errors point at the offending value",
        arguments: [
            (
                "[scheduler]\nmetrics_listen = \"localhost:9464\"\n",
                "schedules.toml:2:18: error: invalid 'metrics_listen': 'localhost' is not a numeric IPv4 or IPv6 address (host names are not resolved)"
            ),
            (
                "[scheduler]\nmetrics_listen = \"::1:9464\"\n",
                "schedules.toml:2:18: error: invalid 'metrics_listen': write an IPv6 address in brackets: \"[::1]:port\""
            ),
            (
                "[scheduler]\nmetrics_listen = 9464\n",
                "schedules.toml:2:18: error: expected a string for 'metrics_listen', found integer"
            ),
            (
                "[scheduler]\nlog_format = \"yaml\"\n",
                "schedules.toml:2:14: error: invalid value 'yaml' for 'log_format'; expected one of 'text', 'json'"
            ),
            (
                "[scheduler]\non_failure = []\n",
                "schedules.toml:2:14: error: 'on_failure' must name a program: the array is empty"
            ),
            (
                "[jobs.a]\nevery = \"1m\"\nshell = \"true\"\non_failure = \"/bin/notify\"\n",
                "schedules.toml:4:14: error: expected an array of strings like [\"prog\", \"arg\"] for 'on_failure', found string"
            ),
            (
                "[jobs.a]\nevery = \"1m\"\nshell = \"true\"\non_failure = [\"/bin/notify\", 3]\n",
                "schedules.toml:4:30: error: expected a string for 'on_failure[1]', found integer"
            ),
            (
                "[jobs.a]\nevery = \"1m\"\nshell = \"true\"\non_failure = [\"\", \"x\"]\n",
                "schedules.toml:4:15: error: 'on_failure' must name a program: the first element is empty"
            ),
        ]
    )
    func errors(toml: String, headline: String) {
        let result = ConfigFixture.load(toml)
        #expect(result.config == nil)
        #expect(ConfigFixture.headlines(result) == [headline])
    }

    @Test("on_failure: [scheduler] sets the default, a job overrides it")
    func onFailureInheritance() throws {
        let result = ConfigFixture.load(
            """
            [scheduler]
            on_failure = ["/usr/local/bin/notify", "--team", "ops"]

            [jobs.inherit]
            every = "1m"
            shell = "true"

            [jobs.own]
            every = "1m"
            shell = "true"
            on_failure = ["/bin/page", "me"]
            """
        )
        let config = try #require(result.config, "\(result.diagnostics)")
        #expect(config.job("inherit")?.onFailure == ["/usr/local/bin/notify", "--team", "ops"])
        #expect(config.job("own")?.onFailure == ["/bin/page", "me"])
        #expect(
            try #require(ConfigFixture.load("[jobs.a]\nevery = \"1m\"\nshell = \"true\"\n").config).job("a")?.onFailure
                == nil
        )
    }

    @Test("log_output_lines: default 1000, [scheduler] sets the default, a job overrides it, negative is an error")
    func logOutputLines() throws {
        let result = ConfigFixture.load(
            """
            [scheduler]
            log_output_lines = 50

            [jobs.inherit]
            every = "1m"
            shell = "true"

            [jobs.quiet]
            every = "1m"
            shell = "true"
            log_output_lines = 0
            """
        )
        let config = try #require(result.config, "\(result.diagnostics)")
        #expect(config.job("inherit")?.logOutputLines == 50)
        #expect(config.job("quiet")?.logOutputLines == 0)
        let plain = try #require(ConfigFixture.load("[jobs.a]\nevery = \"1m\"\nshell = \"true\"\n").config)
        #expect(plain.job("a")?.logOutputLines == 1000)

        let negative = ConfigFixture.load("[jobs.a]\nevery = \"1m\"\nshell = \"true\"\nlog_output_lines = -1\n")
        #expect(negative.config == nil)
        #expect(ConfigFixture.headlines(negative).count == 1)
        #expect(ConfigFixture.headlines(negative).first?.contains(":4:20: error:") == true, "\(negative.diagnostics)")
    }
}
