import Testing

/// `schedctl next`, run as the real binary.
@Suite struct SchedctlNextTests {
    @Test("prints RFC 3339 times with the zone's offset and explains a shifted firing")
    func shiftedFiring() throws {
        let result = try run(
            "schedctl",
            ["next", "30 2 * * *", "--tz", "Europe/Berlin", "--from", "2026-03-27T00:00:00Z", "--count", "3"]
        )
        #expect(result.status == 0)
        #expect(
            result.stdout == """
                2026-03-27T02:30:00+01:00
                2026-03-28T02:30:00+01:00
                2026-03-29T03:00:00+02:00  (02:30 does not exist on this day; shifted to the end of the DST gap)

                """
        )
    }

    @Test("a wildcard expression fires in both passes of a fall-back hour")
    func wildcardFold() throws {
        let result = try run(
            "schedctl",
            ["next", "*/30 2 * * *", "--tz", "Europe/Berlin", "--from", "2026-10-25T00:00:00Z", "--count", "4"]
        )
        #expect(result.status == 0)
        #expect(
            result.stdout.split(separator: "\n").map(String.init) == [
                "2026-10-25T02:30:00+02:00",
                "2026-10-25T02:00:00+01:00",
                "2026-10-25T02:30:00+01:00",
                "2026-10-26T02:00:00+01:00",
            ]
        )
    }

    @Test("--dst-repeat both overrides the fixed-time default")
    func policyOverride() throws {
        let arguments = [
            "next", "30 2 * * *", "--tz", "Europe/Berlin", "--from", "2026-10-24T12:00:00Z", "--count", "2",
        ]
        let byDefault = try run("schedctl", arguments)
        let both = try run("schedctl", arguments + ["--dst-repeat", "both"])
        #expect(byDefault.stdout.split(separator: "\n").first?.hasPrefix("2026-10-25T02:30:00+02:00") == true)
        #expect(byDefault.stdout.split(separator: "\n").last == "2026-10-26T02:30:00+01:00")
        #expect(
            both.stdout.split(separator: "\n").map(String.init) == [
                "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00",
            ]
        )
    }

    @Test("a CRON_TZ prefix picks the zone")
    func cronTZPrefix() throws {
        let result = try run(
            "schedctl",
            ["next", "CRON_TZ=America/New_York 0 9 * * 1-5", "--from", "2026-11-27T00:00:00Z", "--count", "2"]
        )
        #expect(result.status == 0)
        #expect(result.stdout == "2026-11-27T09:00:00-05:00\n2026-11-30T09:00:00-05:00\n")
    }

    @Test("an invalid expression shows the message and a caret under the column, exit 2")
    func invalidExpression() throws {
        let result = try run("schedctl", ["next", "0 25 * * *"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("error: hour value 25 is out of range 0-23\n  0 25 * * *\n    ^~\n"))
    }

    @Test("an expression that never fires says so, exit 1")
    func neverFires() throws {
        let result = try run("schedctl", ["next", "0 0 30 2 *", "--tz", "UTC"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("never fires"))
    }

    @Test("an unknown zone is a usage error naming the zone", arguments: ["Mars/Olympus", "../etc/passwd"])
    func unknownZone(zone: String) throws {
        let result = try run("schedctl", ["next", "* * * * *", "--tz", zone])
        #expect(result.status == 2)
        #expect(result.stderr.contains(zone))
    }

    @Test(
        "bad options are usage errors, exit 2",
        arguments: [["next"], ["next", "* * * * *", "--bogus"], ["frobnicate"]]
    )
    func usageErrors(arguments: [String]) throws {
        let result = try run("schedctl", arguments)
        #expect(result.status == 2)
        #expect(!result.stderr.isEmpty)
    }

    @Test("schedctl --help is pinned")
    func topLevelHelp() throws {
        let result = try run("schedctl", ["--help"])
        #expect(result.status == 0)
        #expect(
            result.stdout == """
                USAGE: schedctl [--socket PATH] <command> [options]

                Daemon commands:
                  list [--json]                    Jobs with trigger, next and last run, and state
                  status [--json]                  Daemon version, uptime, config, jobs, next firing
                  run-now ID [--wait] [--force]    Start a run now (prints the run id)
                  pause ID                         Stop a job firing (kept across reloads and restarts)
                  resume ID                        Let a paused job fire again
                  reload                           Re-read the configuration
                  history ID [--limit N] [--json]  Past runs of a job, newest first
                  metrics                          Prometheus metrics text

                Offline commands:
                  next EXPR                        Preview the next fire times of a cron expression
                  validate [PATH]                  Check a config file and show each job's next fire time

                Daemon commands talk to the control socket: --socket PATH (before or after the
                command), else $SCHEDD_SOCKET, else /run/schedd/control.sock for root and
                $XDG_RUNTIME_DIR/schedd/control.sock for other users.

                Run 'schedctl <command> --help' for a command's options.

                Exit codes:
                  0    success
                  1    the request failed: daemon unreachable, unknown job, permission denied, a
                       reload with an invalid config, an invalid config (validate), an expression
                       that never fires (next)
                  2    usage error or unparsable input
                  run-now --wait exits with the job's exit code: 128+N when signal N ended it,
                       124 when it timed out, 1 when it could not start or was skipped

                """
        )
    }

    @Test("schedctl next --help explains every option and the exit codes")
    func nextHelp() throws {
        let result = try run("schedctl", ["next", "--help"])
        #expect(result.status == 0)
        for option in ["--tz", "--from", "--count", "--dst-gap", "--dst-repeat", "--hash-seed", "EXIT CODES"] {
            #expect(result.stdout.contains(option), "missing \(option)")
        }
    }
}
