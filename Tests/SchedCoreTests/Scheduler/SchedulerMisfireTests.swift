import SchedCore
import SchedTime
import Testing

/// `misfire_grace`, `coalesce` and clock steps in both directions.
@Suite struct SchedulerMisfireTests {
    static let t0 = SchedulerFixture.newYear

    static func seconds(_ instants: [Instant]) -> [Int64] {
        instants.map { ($0 - t0).totalNanoseconds / 1_000_000_000 }
    }

    @Test("a late wake-up within misfire_grace still runs, with its nominal scheduled time")
    func lateWithinGrace() {
        var job = SchedulerFixture.at("once", Self.t0 + .seconds(100))
        job.misfireGrace = .seconds(60)
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.now = Self.t0 + .seconds(150)
        harness.perform(harness.core.advance(to: harness.now))
        #expect(harness.starts.map(\.request.scheduled) == [Self.t0 + .seconds(100)])
        #expect(harness.starts.map(\.at) == [Self.t0 + .seconds(150)])
    }

    @Test("a wake-up past misfire_grace records the firing as missed")
    func pastGrace() {
        var job = SchedulerFixture.at("once", Self.t0 + .seconds(100))
        job.misfireGrace = .seconds(60)
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.now = Self.t0 + .seconds(161)
        harness.perform(harness.core.advance(to: harness.now))
        #expect(harness.starts.isEmpty)
        let missed = harness.records(of: "once", result: .missed)
        #expect(missed.count == 1)
        #expect(missed.first?.scheduled == Self.t0 + .seconds(100))
        #expect(missed.first?.reason?.contains("misfire_grace 1m") == true)
        #expect(harness.core.jobStatus("once")?.last?.result == .missed)
        #expect(harness.core.jobStatus("once")?.next == nil)
    }

    @Test("coalesce = true: overdue firings within grace become one run of the latest")
    func coalesceTrue() {
        var job = SchedulerFixture.every("tick", .seconds(10))
        job.misfireGrace = .seconds(60)
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.stepClock(to: Self.t0 + .seconds(100))
        // Firings 10 … 100: 10–30 are past grace (missed), 40–100 within it: one run of 100.
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [100])
        let missed = harness.records(of: "tick", result: .missed)
        #expect(missed.count == 1)
        #expect(missed.first?.firings == 3)
        #expect(missed.first?.scheduled == Self.t0 + .seconds(10))
        let coalesced = harness.records(of: "tick", result: .skipped)
        #expect(coalesced.count == 1)
        #expect(coalesced.first?.firings == 6)
        #expect(coalesced.first?.reason?.contains("coalesced") == true)
        harness.run(until: Self.t0 + .seconds(120))
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [100, 110, 120])
    }

    @Test("coalesce = false: each overdue firing within grace is offered on its own")
    func coalesceFalse() {
        var job = SchedulerFixture.every("tick", .seconds(10))
        job.misfireGrace = .seconds(60)
        job.coalesce = false
        job.maxInstances = 10
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.stepClock(to: Self.t0 + .seconds(100))
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [40, 50, 60, 70, 80, 90, 100])
        #expect(harness.records(of: "tick", result: .missed).first?.firings == 3)
        #expect(harness.records(of: "tick", result: .skipped).isEmpty)
    }

    @Test("coalesce = false with max_instances = 1 and skip: the first overdue run starts, the rest are skipped")
    func coalesceFalseSkip() {
        var job = SchedulerFixture.every("tick", .seconds(10))
        job.misfireGrace = .seconds(60)
        job.coalesce = false
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.script = { _ in .succeed(after: .seconds(1)) }
        harness.stepClock(to: Self.t0 + .seconds(100))
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [40])
        #expect(
            Self.seconds(harness.records(of: "tick", result: .skipped).map(\.scheduled)) == [50, 60, 70, 80, 90, 100]
        )
    }

    @Test("a one-day forward jump of a one-second job yields a bounded summary, not 86,400 records")
    func dayJumpIsSummarised() {
        let job = SchedulerFixture.every("second", .seconds(1))
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.run(until: Self.t0 + .seconds(5))
        let before = harness.records.count
        harness.stepClock(to: Self.t0 + .seconds(5 + 86_400))
        let new = harness.records[before...]
        #expect(new.count <= 3)
        let missed = new.filter { $0.result == .missed }
        #expect(missed.count == 1)
        // 86,400 firings overdue; the last 300 (5 min grace) are within grace and coalesce.
        #expect(missed.first?.firings == SchedulerCore.overdueScanLimit)
        #expect(missed.first?.reason?.hasPrefix("at least") == true)
        #expect(harness.starts.last?.request.scheduled == Self.t0 + .seconds(5 + 86_400))
        let coalesced = new.filter { $0.result == .skipped }
        #expect(coalesced.first?.firings == 300)
        harness.run(for: .seconds(3))
        #expect(
            harness.starts.suffix(3).map(\.request.scheduled) == (1...3).map { Self.t0 + .seconds(5 + 86_400 + $0) }
        )
    }

    @Test("the clock stepping back never fires a firing twice")
    func stepBack() {
        let jobs = [
            SchedulerFixture.cron("cron", "*/5 * * * *"),
            SchedulerFixture.every("every", .seconds(120)),
            SchedulerFixture.at("at", Self.t0 + .seconds(600)),
        ]
        var harness = SchedulerHarness(jobs: jobs, now: Self.t0)
        harness.run(until: Self.t0 + .seconds(3_600))
        let startsBefore = harness.starts.count
        harness.stepClock(to: Self.t0 + .seconds(1_800))
        harness.run(until: Self.t0 + .seconds(7_200))
        #expect(harness.starts.count > startsBefore)
        for id in ["cron", "every", "at"] {
            let scheduled = harness.starts(of: id).map(\.request.scheduled)
            #expect(Set(scheduled).count == scheduled.count, "\(id) fired a firing twice")
            #expect(scheduled == scheduled.sorted(), "\(id) went backwards")
        }
        // Cron resumes with 01:05 once the clock is past it again, having missed nothing.
        let cron = harness.starts(of: "cron").map(\.request.scheduled)
        #expect(cron == (1...24).map { Self.t0 + .seconds(Int64($0) * 300) })
        #expect(harness.records.allSatisfy { $0.result == .ok })
        #expect(harness.starts(of: "at").count == 1)
    }

    @Test("a forward step within grace runs the overdue firing late but under its own scheduled time")
    func stepForwardWithinGrace() {
        var harness = SchedulerHarness(jobs: [SchedulerFixture.cron("hourly", "0 * * * *")], now: Self.t0)
        harness.stepClock(to: Self.t0 + .seconds(3_600 + 120))
        #expect(harness.starts.map(\.request.scheduled) == [Self.t0 + .seconds(3_600)])
        #expect(harness.starts.map(\.at) == [Self.t0 + .seconds(3_720)])
    }
}

@Suite struct SchedulerClockTests {
    static let t0 = SchedulerFixture.newYear

    @Test("advance(to:) with a time behind the last one is handled as a clock step: nothing fires twice")
    func advanceBackwards() {
        var core = SchedulerCore(
            config: SchedulerFixture.config([SchedulerFixture.every("job", .seconds(10))]),
            now: Self.t0,
            random: JitterRandom(seed: 7)
        )
        let first = core.advance(to: Self.t0 + .seconds(10))
        #expect(first.count == 1)
        #expect(core.advance(to: Self.t0 + .seconds(5)).isEmpty)
        #expect(core.advance(to: Self.t0 + .seconds(10)).isEmpty)
        #expect(core.nextDeadline == Self.t0 + .seconds(20))
    }

    @Test("deadlines round up to the next millisecond: a firing never starts early")
    func roundsUp() {
        let at = Self.t0 + .nanoseconds(1_500_000_250)
        var core = SchedulerCore(
            config: SchedulerFixture.config([SchedulerFixture.at("once", at)]),
            now: Self.t0,
            random: JitterRandom(seed: 7)
        )
        #expect(core.nextDeadline == Self.t0 + .milliseconds(1_501))
        #expect(core.advance(to: Self.t0 + .milliseconds(1_500)).isEmpty)
        let actions = core.advance(to: Self.t0 + .milliseconds(1_501))
        guard case .start(let request)? = actions.first else {
            Issue.record("expected a start")
            return
        }
        #expect(request.scheduled == at)
    }
}
