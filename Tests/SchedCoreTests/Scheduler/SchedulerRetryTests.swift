import SchedCore
import SchedTime
import Testing

/// `retry` with exact backoff times, and retries waiting for a free instance.
@Suite struct SchedulerRetryTests {
    static let t0 = SchedulerFixture.newYear

    static func seconds(_ instants: [Instant]) -> [Int64] {
        instants.map { ($0 - t0).totalNanoseconds / 1_000_000_000 }
    }

    @Test("a failing run is retried after backoff × factor^(n-1), capped at max_delay, up to attempts")
    func exactBackoff() {
        var job = SchedulerFixture.at("flaky", Self.t0 + .seconds(100))
        job.retry = RetryPolicy(attempts: 4, backoff: .seconds(2), factor: 3, maxDelay: .seconds(10))
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.script = { _ in .fail(after: .seconds(1), code: 3) }
        harness.run(until: Self.t0 + .seconds(1_000))
        // Attempt 1 at 100 fails at 101; waits 2, 6, 10 (18 capped), 10 (54 capped).
        #expect(Self.seconds(harness.starts.map(\.at)) == [100, 103, 110, 121, 132])
        #expect(harness.starts.map(\.request.attempt) == [1, 2, 3, 4, 5])
        #expect(harness.starts.allSatisfy { $0.request.scheduled == Self.t0 + .seconds(100) })
        let failed = harness.records(of: "flaky", result: .failed)
        #expect(failed.map(\.attempt) == [1, 2, 3, 4, 5])
        #expect(failed.allSatisfy { $0.exitCode == 3 && $0.durationMilliseconds == 1_000 })
        #expect(Set(failed.map(\.runID)).count == 5)
        #expect(harness.core.jobStatus("flaky")?.consecutiveFailures == 5)
        #expect(harness.core.pendingRetryCount == 0)
    }

    @Test("a timed-out run is retried; a success ends the retries and resets the failure count")
    func timeoutThenSuccess() {
        var job = SchedulerFixture.at("slow", Self.t0 + .seconds(10))
        job.retry = RetryPolicy(attempts: 3, backoff: .seconds(5), factor: 2, maxDelay: .seconds(60))
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.script = { request in
            request.attempt == 1
                ? SchedulerHarness.Script(duration: .seconds(3), termination: .timedOut(signal: 9))
                : .succeed(after: .seconds(1))
        }
        harness.run(until: Self.t0 + .seconds(100))
        #expect(Self.seconds(harness.starts.map(\.at)) == [10, 18])
        #expect(harness.records(of: "slow").map(\.result) == [.timeout, .ok])
        #expect(harness.records(of: "slow").first?.signal == 9)
        #expect(harness.core.jobStatus("slow")?.consecutiveFailures == 0)
        #expect(harness.core.jobStatus("slow")?.last?.attempt == 2)
    }

    @Test("a retry that falls due while the job is at max_instances waits for the instance to end")
    func retryWaitsForInstance() {
        var job = SchedulerFixture.every("job", .seconds(10))
        job.retry = RetryPolicy(attempts: 1, backoff: .seconds(2), factor: 1, maxDelay: .seconds(60))
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.script = { request in
            // The first firing fails after 9 s; the second runs 7 s, across the retry's due time.
            if request.attempt == 2 { return .succeed(after: .seconds(1)) }
            return request.scheduled == Self.t0 + .seconds(10)
                ? .fail(after: .seconds(9)) : .succeed(after: .seconds(7))
        }
        harness.run(until: Self.t0 + .seconds(30))
        // 10 fails at 19; retry due at 21 while the 20 run is active (to 27): it starts at 27.
        let starts = harness.starts.map {
            (Self.seconds([$0.at])[0], Self.seconds([$0.request.scheduled])[0], $0.request.attempt)
        }
        #expect(starts.map(\.0) == [10, 20, 27, 30])
        #expect(starts.map(\.1) == [10, 20, 10, 30])
        #expect(starts.map(\.2) == [1, 1, 2, 1])
        #expect(harness.records(of: "job", result: .skipped).isEmpty)
    }
}
