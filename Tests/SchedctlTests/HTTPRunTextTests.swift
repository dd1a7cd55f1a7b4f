import SchedCore
import SchedTime
import Testing

@testable import schedctl

/// How HTTP checks read in `schedctl list` and `history`.
@Suite struct HTTPRunTextTests {
    static let now = Instant(secondsSinceEpoch: 1_795_834_800)  // 2026-11-28T03:00:00Z

    static func check(_ result: RunResult, status: Int?, reason: String?, exit: Int32?) -> RunInfo {
        RunInfo(
            runID: RunID(rawValue: 4),
            job: "api",
            scheduled: now,
            started: now,
            finished: now + .milliseconds(20),
            durationMilliseconds: 20,
            result: result,
            reason: reason,
            exitCode: exit,
            httpStatus: status,
            latencyMilliseconds: 12
        )
    }

    @Test("a check shows its HTTP status when it passed and its reason when it failed")
    func results() {
        #expect(RunResultText.describe(Self.check(.ok, status: 200, reason: nil, exit: 0)) == "ok (HTTP 200)")
        #expect(
            RunResultText.describe(Self.check(.failed, status: 503, reason: "unexpected status 503", exit: 1))
                == "failed (unexpected status 503)"
        )
        #expect(
            RunResultText.describe(
                Self.check(.failed, status: nil, reason: "connection refused (127.0.0.1:9)", exit: 1)
            ) == "failed (connection refused (127.0.0.1:9))"
        )
        #expect(RunResultText.describe(Self.check(.failed, status: 502, reason: nil, exit: nil)) == "failed (HTTP 502)")
    }

    @Test("the list shows a failing check's reason and how many runs in a row failed")
    func listRow() {
        let job = JobInfo(
            id: "api",
            trigger: "every 5m",
            state: .scheduled,
            last: Self.check(.failed, status: 503, reason: "unexpected status 503", exit: 1),
            consecutiveFailures: 3,
            lastHTTPStatus: 503
        )
        let time = HumanTime(zone: .utc, now: Self.now)
        let text = ListCommand.render([job], time: time, style: .plain)
        #expect(text.contains("failed (unexpected status 503)"))
        #expect(text.contains("scheduled (3 failures)"))
    }
}
