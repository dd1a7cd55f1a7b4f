import SchedCore
import SchedTime
import Testing

/// `RunRecord.endsFiringInFailure(retry:)` against the core's real retry behaviour: over a run of
/// firings, exactly the last attempt of each failing firing qualifies.
@Suite struct FailureHookDecisionTests {
    static let t0 = SchedulerFixture.newYear

    @Test("a firing failing every attempt qualifies once, on its last attempt", arguments: [0, 1, 3])
    func lastAttemptOnly(attempts: Int) {
        var job = SchedulerFixture.every("flaky", .seconds(100))
        job.retry = RetryPolicy(attempts: attempts, backoff: .seconds(2), factor: 2, maxDelay: .seconds(10))
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.script = { request in
            request.attempt % 2 == 0
                ? SchedulerHarness.Script(duration: .seconds(1), termination: .timedOut(signal: 15))
                : .fail(after: .seconds(1))
        }
        harness.run(until: Self.t0 + .seconds(350))
        let records = harness.records(of: "flaky")
        #expect(records.count == 3 * (attempts + 1))
        let final = records.filter { $0.endsFiringInFailure(retry: job.retry) }
        #expect(final.map(\.attempt) == Array(repeating: attempts + 1, count: 3))
        #expect(Set(final.map(\.scheduled)).count == 3, "one per firing")
    }

    @Test("a retry that succeeds means no failure for good")
    func recovered() {
        var job = SchedulerFixture.every("flaky", .seconds(100))
        job.retry = RetryPolicy(attempts: 3, backoff: .seconds(2), factor: 2, maxDelay: .seconds(10))
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.script = { request in request.attempt < 3 ? .fail(after: .seconds(1)) : .succeed() }
        harness.run(until: Self.t0 + .seconds(150))
        #expect(harness.records(of: "flaky").map(\.result) == [.failed, .failed, .ok])
        #expect(!harness.records(of: "flaky").contains { $0.endsFiringInFailure(retry: job.retry) })
    }

    @Test("a run the core replaced is not a failure; an outside kill is")
    func replaceIsPolicy() {
        var job = SchedulerFixture.every("long", .seconds(10))
        job.onOverlap = .replace
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.script = { _ in .succeed(after: .seconds(100)) }
        harness.run(until: Self.t0 + .seconds(25))
        let killed = harness.records(of: "long", result: .killed)
        #expect(killed.count == 1)
        #expect(!killed[0].endsFiringInFailure(retry: job.retry))
        var outside = killed[0]
        outside.reason = nil
        #expect(outside.endsFiringInFailure(retry: job.retry))
    }
}
