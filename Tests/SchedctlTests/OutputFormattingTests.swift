import SchedCore
import SchedTime
import Testing

@testable import schedctl

@Suite("schedctl output formatting")
struct OutputFormattingTests {
    static let now = Instant(secondsSinceEpoch: 1_795_834_800)  // 2026-11-28T03:00:00Z
    static let berlin = try! Zone.named("Europe/Berlin")
    let time = HumanTime(zone: berlin, now: now)

    @Test(
        "relative spans show the two largest units",
        arguments: [
            (Int64(0), "now"), (42, "in 42s"), (-42, "42s ago"), (310, "in 5m 10s"), (10_925, "in 3h 2m"),
            (3600, "in 1h"), (187_259, "in 2d 4h"), (-86_400, "1d ago"),
        ] as [(Int64, String)]
    )
    func relative(seconds: Int64, expected: String) {
        #expect(time.relative(Self.now + .seconds(seconds)) == expected)
    }

    @Test("local times are in the given zone, with the relative span")
    func localTime() {
        #expect(time.local(Self.now) == "2026-11-28 04:00:00")
        #expect(time.localWithRelative(Self.now + .seconds(3 * 3600 + 120)) == "2026-11-28 07:02:00 (in 3h 2m)")
        let summer = Instant(secondsSinceEpoch: 1_782_864_000)  // 2026-07-01T00:00:00Z, CEST
        #expect(time.local(summer) == "2026-07-01 02:00:00")
    }

    @Test(
        "durations",
        arguments: [(250, "250ms"), (1000, "1s"), (1500, "1.5s"), (59_900, "59.9s"), (123_000, "2m 3s")]
            as [(Int64, String)]
    )
    func durations(milliseconds: Int64, expected: String) {
        #expect(HumanTime.duration(milliseconds: milliseconds) == expected)
    }

    static func run(_ result: RunResult, exit: Int32? = nil, signal: Int32? = nil, reason: String? = nil) -> RunInfo {
        RunInfo(
            runID: RunID(rawValue: 9),
            job: "j",
            scheduled: now,
            started: now,
            finished: now + .seconds(2),
            durationMilliseconds: 2000,
            result: result,
            reason: reason,
            exitCode: exit,
            signal: signal
        )
    }

    @Test("results read as documented, and run-now --wait maps them to exit codes")
    func results() {
        let cases: [(RunInfo, String, Int32)] = [
            (Self.run(.ok, exit: 0), "ok", 0),
            (Self.run(.failed, exit: 3), "failed (exit 3)", 3),
            (Self.run(.failed, reason: "no such user 'x'"), "failed (no such user 'x')", 1),
            (Self.run(.killed, signal: 9), "killed (SIGKILL)", 137),
            (Self.run(.timeout, signal: 15), "timed out", 124),
            (Self.run(.skipped, reason: "previous run still active"), "skipped (previous run still active)", 1),
            (Self.run(.missed), "missed", 1),
        ]
        for (run, text, code) in cases {
            #expect(RunResultText.describe(run) == text)
            #expect(RunNowCommand.exitCode(for: run) == code, "\(text)")
        }
    }

    @Test("the list table aligns columns and shows every field")
    func listTable() {
        let jobs = [
            JobInfo(
                id: "backup",
                trigger: "0 3 * * *",
                state: .scheduled,
                next: Self.now + .seconds(86_400),
                last: Self.run(.failed, exit: 2),
                consecutiveFailures: 2
            ),
            JobInfo(id: "check_api", trigger: "every 5m", state: .paused),
        ]
        let text = ListCommand.render(jobs, time: time, style: .plain)
        #expect(
            text == """
                ID         TRIGGER    NEXT                         LAST                                 STATE
                backup     0 3 * * *  2026-11-29 04:00:00 (in 1d)  2026-11-28 04:00:00 failed (exit 2)  scheduled (2 failures)
                check_api  every 5m   -                            -                                    paused
                """
        )
    }

    @Test("colours appear only when asked for and never shift the columns")
    func colours() {
        let jobs = [JobInfo(id: "a", trigger: "@daily", state: .paused, last: Self.run(.ok, exit: 0))]
        let plain = ListCommand.render(jobs, time: time, style: .plain)
        let coloured = ListCommand.render(jobs, time: time, style: TerminalStyle(colors: true))
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.contains("\u{1B}[33mpaused\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[32m"))
        let stripped = coloured.replacing(/\x1B\[[0-9]+m/, with: "")
        #expect(stripped == plain)
    }

    @Test("NO_COLOR, a pipe and TERM=dumb turn colours off")
    func colourDecision() {
        #expect(TerminalStyle.decide(isTerminal: true, environment: [:]))
        #expect(!TerminalStyle.decide(isTerminal: false, environment: [:]))
        #expect(!TerminalStyle.decide(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(TerminalStyle.decide(isTerminal: true, environment: ["NO_COLOR": ""]))
        #expect(!TerminalStyle.decide(isTerminal: true, environment: ["TERM": "dumb"]))
    }

    @Test("the history table")
    func historyTable() {
        var skipped = Self.run(.skipped, reason: "previous run still active")
        skipped.started = nil
        skipped.durationMilliseconds = nil
        var failed = Self.run(.failed, exit: 1)
        failed.outputTail = "starting\nerror: disk full\n"
        failed.attempt = 2
        let text = HistoryCommand.render([failed, skipped], time: time, style: .plain)
        #expect(
            text == """
                RUN  SCHEDULED            STARTED              DURATION  RESULT                               ATTEMPT  OUTPUT
                9    2026-11-28 04:00:00  2026-11-28 04:00:00  2s        failed (exit 1)                      2        error: disk full
                9    2026-11-28 04:00:00  -                    -         skipped (previous run still active)  1
                """
        )
    }

    @Test("status and reload summaries")
    func statusAndReload() {
        let status = StatusInfo(
            version: "0.1.0",
            processID: 42,
            uptimeSeconds: 3725,
            configPath: "/etc/schedd/schedules.toml",
            jobs: 3,
            running: 1,
            next: Self.now + .seconds(60),
            nextJob: "backup"
        )
        #expect(
            StatusCommand.render(status, socket: "/run/schedd/control.sock", time: time) == """
                schedd 0.1.0 (pid 42), up 1h 2m
                config:   /etc/schedd/schedules.toml
                socket:   /run/schedd/control.sock
                jobs:     3
                running:  1
                next:     2026-11-28 04:01:00 (in 1m) backup
                """
        )
        #expect(ReloadCommand.describe(ReloadSummary(jobs: 1)) == "reloaded: 1 job, no changes")
        #expect(
            ReloadCommand.describe(ReloadSummary(jobs: 4, added: ["a", "b"], removed: ["c"]))
                == "reloaded: 4 jobs (added: a, b; removed: c)"
        )
    }

    @Test("--socket is taken from before or after the command, and the rest is kept in order")
    func socketOption() throws {
        let (socket, rest) = try ControlOptions.extract(from: ["--socket", "/a", "list", "--json"])
        #expect(socket == "/a")
        #expect(rest == ["list", "--json"])
        let (after, rest2) = try ControlOptions.extract(from: ["run-now", "x", "--socket=/b", "--wait"])
        #expect(after == "/b")
        #expect(rest2 == ["run-now", "x", "--wait"])
        let (none, rest3) = try ControlOptions.extract(from: ["next", "--", "--socket"])
        #expect(none == nil)
        #expect(rest3 == ["next", "--", "--socket"])
        #expect(throws: UsageError.self) { try ControlOptions.extract(from: ["list", "--socket"]) }
    }

    @Test("the socket path: --socket, then SCHEDD_SOCKET, then the per-user default")
    func socketResolution() {
        let env = ["SCHEDD_SOCKET": "/env.sock", "XDG_RUNTIME_DIR": "/run/user/1000"]
        #expect(ControlOptions(socketPath: "/flag.sock", environment: env).resolvedSocketPath == "/flag.sock")
        #expect(ControlOptions(socketPath: nil, environment: env).resolvedSocketPath == "/env.sock")
    }
}
