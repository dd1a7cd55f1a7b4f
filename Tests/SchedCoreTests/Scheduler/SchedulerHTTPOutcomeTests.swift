import SchedCore
import SchedTime
import Testing

/// The facts an HTTP check adds to a run (status, latency, reason) reach its run record.
@Suite struct SchedulerHTTPOutcomeTests {
    static let t0 = SchedulerFixture.newYear

    /// Fires one `at` job and finishes its run with `outcome` (its instants filled in).
    static func record(finishingWith outcome: (Instant) -> RunOutcome) throws -> RunRecord {
        let job = SchedulerFixture.at("check", t0 + .seconds(10))
        var core = SchedulerCore(config: SchedulerFixture.config([job]), now: t0, random: JitterRandom(seed: 1))
        _ = core.start(now: t0)
        let started = core.advance(to: t0 + .seconds(10)).compactMap { action -> RunRequest? in
            if case .start(let request) = action { return request }
            return nil
        }
        let request = try #require(started.first)
        let actions = core.runFinished(request.runID, outcome: outcome(t0 + .seconds(10)), now: t0 + .seconds(11))
        let records = actions.compactMap { action -> RunRecord? in
            if case .record(let record) = action { return record }
            return nil
        }
        return try #require(records.first)
    }

    @Test("a failed check's reason, status, latency and body excerpt are kept")
    func failedCheck() throws {
        let record = try Self.record { start in
            RunOutcome(
                termination: .exited(code: 1),
                started: start,
                finished: start + .seconds(1),
                outputTail: "down for maintenance",
                httpStatus: 503,
                latency: .milliseconds(42),
                reason: "unexpected status 503"
            )
        }
        #expect(record.result == .failed)
        #expect(record.reason == "unexpected status 503")
        #expect(record.httpStatus == 503)
        #expect(record.latencyMilliseconds == 42)
        #expect(record.outputTail == "down for maintenance")
    }

    @Test("a passed check has no reason even if one was passed along")
    func passedCheck() throws {
        let record = try Self.record { start in
            RunOutcome(
                termination: .exited(code: 0),
                started: start,
                finished: start + .seconds(1),
                httpStatus: 200,
                latency: .milliseconds(5),
                reason: "ignored"
            )
        }
        #expect(record.result == .ok)
        #expect(record.reason == nil)
        #expect(record.httpStatus == 200)
    }

    @Test("a skipped firing after a check does not clear the job's last HTTP status")
    func skippedKeepsLastStatus() throws {
        let t0 = Self.t0
        let job = SchedulerFixture.every("check", .seconds(10))
        var core = SchedulerCore(config: SchedulerFixture.config([job]), now: t0, random: JitterRandom(seed: 1))
        _ = core.start(now: t0)
        func startedRun(_ actions: [SchedulerAction]) -> RunRequest? {
            actions.lazy.compactMap { action -> RunRequest? in
                if case .start(let request) = action { return request }
                return nil
            }.first
        }
        // t0+10: a check answers 503. t0+20: the next one hangs, so the firing at t0+30 is skipped.
        let first = try #require(startedRun(core.advance(to: t0 + .seconds(10))))
        let outcome = RunOutcome(
            termination: .exited(code: 1),
            started: t0 + .seconds(10),
            finished: t0 + .seconds(11),
            httpStatus: 503,
            reason: "unexpected status 503"
        )
        _ = core.runFinished(first.runID, outcome: outcome, now: t0 + .seconds(11))
        #expect(core.jobStatuses.first?.lastHTTPStatus == 503)
        _ = try #require(startedRun(core.advance(to: t0 + .seconds(20))))
        _ = core.advance(to: t0 + .seconds(30))
        let status = try #require(core.jobStatuses.first)
        #expect(status.last?.result == .skipped)
        #expect(status.lastHTTPStatus == 503)
        #expect(JobInfo(status).lastHTTPStatus == 503)
    }
}
