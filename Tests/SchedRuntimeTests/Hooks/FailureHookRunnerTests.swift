import Foundation
import Glibc
import SchedCore
import SchedTestSupport
import SchedTime
import Testing

@testable import SchedRuntime

/// Failure hooks as real processes on a real loop.
@Suite("Failure hooks", .hangGuard)
struct FailureHookRunnerTests {
    static let scheduled = Instant(secondsSinceEpoch: 1_795_834_800)

    static func job(onFailure: [String]?, retry: RetryPolicy = .none) -> JobConfig {
        var job = JobConfig(
            id: "nightly-cleanup",
            trigger: .every(.seconds(60), anchor: nil),
            triggerText: "every 1m",
            action: .command(["/bin/false"]),
            settings: SchedulerSettings(zone: .utc),
            location: SourceLocation(file: "schedules.toml", line: 1, column: 1)
        )
        job.onFailure = onFailure
        job.retry = retry
        return job
    }

    static func record(
        _ result: RunResult,
        attempt: Int = 1,
        exitCode: Int32? = nil,
        signal: Int32? = nil,
        reason: String? = nil,
        tail: String? = nil
    ) -> RunRecord {
        var record = RunRecord(
            runID: RunID(rawValue: 77),
            job: "nightly-cleanup",
            scheduled: scheduled,
            attempt: attempt,
            result: result,
            reason: reason
        )
        record.exitCode = exitCode
        record.signal = signal
        record.outputTail = tail
        return record
    }

    /// A fresh directory for a hook's traces.
    static func temporaryDirectory() -> String {
        var template = Array("/tmp/schedd-hook-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    static func contents(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// Runs `body` with a loop, runner and hook runner, then the loop until `expected` hooks reported.
    static func withHooks(
        expected: Int,
        timeout: Duration = .seconds(10),
        maximumRunning: Int = 16,
        _ body: (FailureHookRunner, @escaping (FailureHookRunner.Outcome) -> Void) -> Void
    ) throws -> (outcomes: [FailureHookRunner.Outcome], logs: [String]) {
        let loop = try EventLoop()
        let runner = ProcessRunner(loop: loop)
        let sink = CapturingLogSink()
        let hooks = FailureHookRunner(
            runner: runner,
            logger: Logger(minimumLevel: .debug, sink: sink),
            timeout: timeout,
            killGrace: .milliseconds(200),
            maximumRunning: maximumRunning
        )
        var outcomes: [FailureHookRunner.Outcome] = []
        body(hooks) { [unowned loop] outcome in
            outcomes.append(outcome)
            if outcomes.count == expected { loop.stop() }
        }
        if outcomes.count < expected {
            let safety = loop.scheduleTimer(after: .seconds(20)) { [unowned loop] in loop.stop() }
            try loop.run()
            loop.cancelTimer(safety)
        }
        #expect(hooks.runningCount == 0)
        return (outcomes, sink.lines)
    }

    @Test("the hook gets SCHEDD_* variables, the job environment and the output tail on stdin")
    func environmentAndStdin() throws {
        let directory = Self.temporaryDirectory()
        let script = "env | grep -E '^(SCHEDD_|TEAM=)' | sort > \(directory)/env; cat > \(directory)/stdin"
        let job = Self.job(onFailure: ["/bin/sh", "-c", script])
        let record = Self.record(.failed, exitCode: 3, tail: "line one\nline \"two\"\n")
        let (outcomes, logs) = try Self.withHooks(expected: 1) { hooks, done in
            #expect(
                hooks.runIfNeeded(
                    for: record,
                    job: job,
                    environment: ["PATH=/usr/bin:/bin", "SCHEDD_RESULT=stale", "TEAM=ops", "SCHEDD_RUN_ID=1"],
                    onFinish: done
                )
            )
        }
        guard case .finished(let outcome) = try #require(outcomes.first) else {
            Issue.record("not finished: \(outcomes)")
            return
        }
        #expect(outcome.exitCode == 0)
        #expect(
            Self.contents("\(directory)/env")
                == """
                SCHEDD_ATTEMPT=1
                SCHEDD_EXIT_CODE=3
                SCHEDD_JOB_ID=nightly-cleanup
                SCHEDD_RESULT=failed
                SCHEDD_RUN_ID=77
                SCHEDD_SCHEDULED_TIME=2026-11-28T03:00:00Z
                TEAM=ops

                """
        )
        #expect(Self.contents("\(directory)/stdin") == "line one\nline \"two\"\n")
        let events = try logs.map { try Logfmt.parse($0).first { $0.key == "event" }?.value }
        #expect(events == ["hook_started", "hook_finished"])
    }

    @Test("a timed-out run passes an empty exit code and its signal")
    func timeoutVariables() throws {
        let directory = Self.temporaryDirectory()
        let job = Self.job(onFailure: ["/bin/sh", "-c", "env | grep ^SCHEDD_ | sort > \(directory)/env"])
        let record = Self.record(.timeout, signal: 15)
        _ = try Self.withHooks(expected: 1) { hooks, done in
            hooks.runIfNeeded(for: record, job: job, environment: ["PATH=/usr/bin:/bin"], onFinish: done)
        }
        let env = Self.contents("\(directory)/env") ?? ""
        #expect(env.contains("SCHEDD_EXIT_CODE=\n"))
        #expect(env.contains("SCHEDD_RESULT=timeout\n"))
        #expect(env.contains("SCHEDD_SIGNAL=15\n"))
    }

    @Test(
        "only a final failure runs the hook: not ok, not a failure with retries left, not skipped/missed, not a replace stop"
    )
    func onlyFinalFailures() throws {
        let directory = Self.temporaryDirectory()
        let counter = "\(directory)/count"
        let job = Self.job(
            onFailure: ["/bin/sh", "-c", "echo \"$SCHEDD_RESULT $SCHEDD_ATTEMPT\" >> \(counter)"],
            retry: RetryPolicy(attempts: 2, backoff: .seconds(1), factor: 1, maxDelay: .seconds(1))
        )
        let records: [(RunRecord, Bool)] = [
            (Self.record(.ok, exitCode: 0), false),
            (Self.record(.failed, attempt: 1, exitCode: 1), false),
            (Self.record(.timeout, attempt: 2, signal: 15), false),
            (Self.record(.failed, attempt: 3, exitCode: 1), true),
            (Self.record(.killed, signal: 15, reason: "replaced by the firing scheduled at …"), false),
            (Self.record(.killed, signal: 9), true),
            (Self.record(.missed, reason: "late"), false),
            (Self.record(.skipped, reason: "job paused"), false),
            (Self.record(.interrupted), false),
        ]
        _ = try Self.withHooks(expected: 2) { hooks, done in
            for (record, expected) in records {
                #expect(hooks.runIfNeeded(for: record, job: job, environment: [], onFinish: done) == expected)
            }
        }
        #expect(Self.contents(counter)?.split(separator: "\n").sorted() == ["failed 3", "killed 1"])
    }

    @Test("no on_failure, no hook")
    func noHookConfigured() throws {
        let loop = try EventLoop()
        let hooks = FailureHookRunner(runner: ProcessRunner(loop: loop), logger: Logger(sink: CapturingLogSink()))
        #expect(
            !hooks.runIfNeeded(for: Self.record(.failed, exitCode: 1), job: Self.job(onFailure: nil), environment: [])
        )
    }

    @Test("a failing hook is logged as an error once and never retried")
    func failingHook() throws {
        let directory = Self.temporaryDirectory()
        let job = Self.job(onFailure: ["/bin/sh", "-c", "echo ran >> \(directory)/runs; echo oops >&2; exit 4"])
        let (outcomes, logs) = try Self.withHooks(expected: 1) { hooks, done in
            hooks.runIfNeeded(for: Self.record(.failed, exitCode: 1), job: job, environment: [], onFinish: done)
        }
        guard case .finished(let outcome) = outcomes.first else {
            Issue.record("\(outcomes)")
            return
        }
        #expect(outcome.exitCode == 4)
        // Give a (wrong) retry a chance to show up.
        usleep(200_000)
        #expect(Self.contents("\(directory)/runs") == "ran\n")
        let parsed = try logs.map { Dictionary(uniqueKeysWithValues: try Logfmt.parse($0).map { ($0.key, $0.value) }) }
        #expect(parsed.map { $0["event"] } == ["hook_started", "hook_output", "hook_failed"])
        #expect(parsed[1]["line"] == "oops")
        #expect(parsed[1]["stream"] == "stderr")
        #expect(parsed[2]["level"] == "error")
        #expect(parsed[2]["exit"] == "4")
        #expect(parsed[2]["job"] == "nightly-cleanup")
        #expect(parsed[2]["run"] == "77")
    }

    @Test("a hook that outlives its timeout is stopped and logged as failed")
    func hookTimeout() throws {
        let job = Self.job(onFailure: ["/bin/sleep", "30"])
        let start = ContinuousClock.now
        let (outcomes, logs) = try Self.withHooks(expected: 1, timeout: .milliseconds(300)) { hooks, done in
            hooks.runIfNeeded(for: Self.record(.failed, exitCode: 1), job: job, environment: [], onFinish: done)
        }
        #expect(ContinuousClock.now - start < .seconds(5))
        guard case .finished(let outcome) = outcomes.first else {
            Issue.record("\(outcomes)")
            return
        }
        #expect(outcome.timedOut)
        #expect(logs.last?.contains("event=hook_failed") == true)
        #expect(logs.last?.contains("reason=timeout") == true)
    }

    @Test("a hook that cannot start is reported and logged")
    func missingProgram() throws {
        let job = Self.job(onFailure: ["/nonexistent/notify"])
        let (outcomes, logs) = try Self.withHooks(expected: 1) { hooks, done in
            #expect(
                !hooks.runIfNeeded(for: Self.record(.failed, exitCode: 1), job: job, environment: [], onFinish: done)
            )
        }
        guard case .notStarted = outcomes.first else {
            Issue.record("\(outcomes)")
            return
        }
        #expect(logs.count == 1 && logs[0].contains("event=hook_failed") && logs[0].contains("level=error"))
    }

    @Test("beyond maximumRunning a hook is dropped")
    func bounded() throws {
        let job = Self.job(onFailure: ["/bin/sleep", "0.3"])
        let (outcomes, _) = try Self.withHooks(expected: 2, maximumRunning: 1) { hooks, done in
            #expect(
                hooks.runIfNeeded(for: Self.record(.failed, exitCode: 1), job: job, environment: [], onFinish: done)
            )
            #expect(
                !hooks.runIfNeeded(for: Self.record(.failed, exitCode: 1), job: job, environment: [], onFinish: done)
            )
        }
        guard case .dropped = outcomes.first else {
            Issue.record("\(outcomes)")
            return
        }
    }

    @Test("stdin longer than the pipe keeps the newest bytes")
    func longTail() throws {
        let directory = Self.temporaryDirectory()
        let tail = (0..<20_000).map { "line \($0)\n" }.joined()
        let job = Self.job(onFailure: ["/bin/sh", "-c", "cat > \(directory)/stdin"])
        _ = try Self.withHooks(expected: 1) { hooks, done in
            hooks.runIfNeeded(
                for: Self.record(.failed, exitCode: 1, tail: tail),
                job: job,
                environment: [],
                onFinish: done
            )
        }
        let received = try #require(Self.contents("\(directory)/stdin"))
        #expect(received.utf8.count == min(tail.utf8.count, 65536))
        #expect(tail.hasSuffix(received))
    }
}
