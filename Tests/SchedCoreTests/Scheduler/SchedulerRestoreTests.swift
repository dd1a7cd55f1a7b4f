import SchedCore
import SchedTime
import Testing

/// Persisted state and catch-up after downtime, in virtual time: a first "daemon" runs a core, its
/// persisted facts are taken, and a second core built later from the same config restores them.
@Suite struct SchedulerRestoreTests {
    static let t0 = SchedulerFixture.newYear

    static func seconds(_ instants: [Instant]) -> [Int64] {
        instants.map { ($0 - t0).totalNanoseconds / 1_000_000_000 }
    }

    /// Runs `jobs` from `t0` until `down`, then returns what a state store would hold for them.
    static func persistedStates(of jobs: [JobConfig], runUntil down: Instant) -> [PersistedJobState] {
        var first = SchedulerHarness(jobs: jobs, now: t0)
        first.startDaemon()
        first.run(until: down)
        return jobs.compactMap { first.core.persistedState(of: $0.id) }
    }

    /// A second daemon at `up` that restores `states`, then starts.
    static func restarted(
        _ jobs: [JobConfig],
        states: [PersistedJobState],
        interrupted: [RunRecord] = [],
        at up: Instant
    ) -> SchedulerHarness {
        var harness = SchedulerHarness(jobs: jobs, now: up)
        harness.perform(harness.core.restore(states, interrupted: interrupted, now: up))
        harness.startDaemon()
        return harness
    }

    // MARK: - Catch-up

    @Test("every, coalesce = true: firings past grace are one missed record, those within grace one run")
    func everyCoalesced() {
        var job = SchedulerFixture.every("tick", .seconds(10))
        job.misfireGrace = .seconds(60)
        let states = Self.persistedStates(of: [job], runUntil: Self.t0 + .seconds(35))
        #expect(states.first?.lastScheduled == Self.t0 + .seconds(30))
        var harness = Self.restarted([job], states: states, at: Self.t0 + .seconds(200))
        // Down across 40 … 200: 40–130 are older than grace (missed), 140–200 run once, as 200.
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [200])
        let missed = harness.records(of: "tick", result: .missed)
        #expect(missed.map(\.firings) == [10])
        #expect(Self.seconds(missed.map(\.scheduled)) == [40])
        #expect(missed.first?.reason?.contains("2026-01-01T00:02:10Z") == true)
        let coalesced = harness.records(of: "tick", result: .skipped)
        #expect(coalesced.map(\.firings) == [6])
        #expect(Self.seconds(coalesced.map(\.scheduled)) == [140])
        // The phase survives the restart: still on the 10 s grid of the first daemon's anchor.
        harness.run(until: Self.t0 + .seconds(220))
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [200, 210, 220])
    }

    @Test("every, coalesce = false: each firing within grace runs with its own scheduled time")
    func everyNotCoalesced() {
        var job = SchedulerFixture.every("tick", .seconds(10))
        job.misfireGrace = .seconds(60)
        job.coalesce = false
        job.maxInstances = 10
        let states = Self.persistedStates(of: [job], runUntil: Self.t0 + .seconds(35))
        let harness = Self.restarted([job], states: states, at: Self.t0 + .seconds(200))
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [140, 150, 160, 170, 180, 190, 200])
        #expect(harness.records(of: "tick", result: .missed).map(\.firings) == [10])
        #expect(harness.records(of: "tick", result: .skipped).isEmpty)
    }

    @Test("cron, coalesce = true and false, across a one-hour outage", arguments: [true, false])
    func cronOutage(coalesce: Bool) {
        var job = SchedulerFixture.cron("five", "*/5 * * * *")
        job.coalesce = coalesce
        job.maxInstances = 5
        let states = Self.persistedStates(of: [job], runUntil: Self.t0 + .seconds(12 * 60))
        #expect(states.first?.lastScheduled == Self.t0 + .seconds(10 * 60))
        let harness = Self.restarted([job], states: states, at: Self.t0 + .seconds(60 * 60))
        // Firings 15 … 60 min; grace 5 min: 15–50 missed (8), 55 and 60 within grace.
        let missed = harness.records(of: "five", result: .missed)
        #expect(missed.map(\.firings) == [8])
        #expect(Self.seconds(missed.map(\.scheduled)) == [15 * 60])
        let started = Self.seconds(harness.starts.map(\.request.scheduled))
        if coalesce {
            #expect(started == [60 * 60])
            #expect(harness.records(of: "five", result: .skipped).map(\.firings) == [1])
        } else {
            #expect(started == [55 * 60, 60 * 60])
            #expect(harness.records(of: "five", result: .skipped).isEmpty)
        }
    }

    @Test(
        "misfire_grace boundary: a firing exactly grace old still runs, one nanosecond older is missed",
        arguments: [(Int64(0), true), (Int64(1), false), (Int64(-1), true)]
    )
    func graceBoundary(extraNanoseconds: Int64, runs: Bool) {
        var job = SchedulerFixture.at("once", Self.t0 + .seconds(100))
        job.misfireGrace = .seconds(60)
        let states = Self.persistedStates(of: [job], runUntil: Self.t0 + .seconds(50))
        let up = Self.t0 + .seconds(160) + .nanoseconds(extraNanoseconds)
        let harness = Self.restarted([job], states: states, at: up)
        #expect(harness.starts.map(\.request.scheduled) == (runs ? [Self.t0 + .seconds(100)] : []))
        #expect(harness.records(of: "once", result: .missed).count == (runs ? 0 : 1))
    }

    @Test("without restored state a fresh core forgets a one-shot that fell in the downtime")
    func withoutStateNothingIsCaughtUp() {
        var job = SchedulerFixture.at("once", Self.t0 + .seconds(100))
        job.misfireGrace = .seconds(60)
        let harness = Self.restarted([job], states: [], at: Self.t0 + .seconds(130))
        #expect(harness.starts.isEmpty)
        #expect(harness.records.isEmpty)
    }

    @Test("a restart between two firings catches up nothing and keeps the schedule")
    func shortRestart() {
        let job = SchedulerFixture.every("tick", .seconds(10))
        let states = Self.persistedStates(of: [job], runUntil: Self.t0 + .seconds(21))
        var harness = Self.restarted([job], states: states, at: Self.t0 + .seconds(25))
        #expect(harness.starts.isEmpty)
        #expect(harness.records.isEmpty)
        harness.run(until: Self.t0 + .seconds(40))
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [30, 40])
    }

    @Test("a clock set back across a restart never fires a handled firing again")
    func clockBackAcrossRestart() {
        let job = SchedulerFixture.every("tick", .seconds(10))
        let states = Self.persistedStates(of: [job], runUntil: Self.t0 + .seconds(100))
        var harness = Self.restarted([job], states: states, at: Self.t0 + .seconds(50))
        harness.run(until: Self.t0 + .seconds(110))
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [110])
    }

    @Test("a job that never fired catches up from when it was first added")
    func neverFiredCatchesUpFromFirstAdded() {
        var job = SchedulerFixture.every("hourly", .seconds(3600))
        job.misfireGrace = .seconds(600)
        let states = Self.persistedStates(of: [job], runUntil: Self.t0 + .seconds(60))
        #expect(states.first?.lastScheduled == nil)
        #expect(states.first?.firstAdded == Self.t0)
        let harness = Self.restarted([job], states: states, at: Self.t0 + .seconds(3 * 3600 + 300))
        // 1 h and 2 h are missed; 3 h is 5 min old, within the 10 min grace.
        #expect(harness.records(of: "hourly", result: .missed).map(\.firings) == [2])
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [3 * 3600])
    }

    // MARK: - Pause, @reboot, interrupted runs

    @Test("a paused job stays paused across a restart and makes nothing up")
    func pauseSurvives() throws {
        let job = SchedulerFixture.every("tick", .seconds(10))
        var first = SchedulerHarness(jobs: [job], now: Self.t0)
        first.run(until: Self.t0 + .seconds(15))
        try first.pause("tick")
        let states = [try #require(first.core.persistedState(of: "tick"))]
        #expect(states.first?.paused == true)
        var harness = Self.restarted([job], states: states, at: Self.t0 + .seconds(100))
        harness.run(until: Self.t0 + .seconds(200))
        #expect(harness.starts.isEmpty)
        #expect(harness.core.jobStatus("tick")?.state == .paused)
        try harness.resume("tick")
        harness.run(until: Self.t0 + .seconds(210))
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [210])
    }

    @Test("@reboot fires once per daemon start, restored state or not")
    func rebootOncePerStart() {
        let job = SchedulerFixture.cron("boot", "@reboot")
        let states = Self.persistedStates(of: [job], runUntil: Self.t0 + .seconds(10))
        #expect(states.first?.lastScheduled == Self.t0)
        var harness = Self.restarted([job], states: states, at: Self.t0 + .seconds(500))
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [500])
        harness.startDaemon()
        harness.run(until: Self.t0 + .seconds(1000))
        #expect(harness.starts.count == 1)
    }

    @Test(
        "an interrupted run starts again only with on_interrupted = rerun, and its firing never twice",
        arguments: [InterruptedPolicy.skip, .rerun]
    )
    func interrupted(policy: InterruptedPolicy) {
        var job = SchedulerFixture.every("tick", .seconds(10))
        job.onInterrupted = policy
        var first = SchedulerHarness(jobs: [job], now: Self.t0)
        first.script = { _ in .succeed(after: .seconds(5)) }
        first.run(until: Self.t0 + .seconds(12))
        // The "crash": run 10 s is still active; the store turns it into an interrupted record.
        let active = first.core.runningRuns
        #expect(active.count == 1)
        let states = [first.core.persistedState(of: "tick")].compactMap { $0 }
        let interrupted = active.map {
            RunRecord(
                runID: $0.runID,
                job: $0.jobID,
                scheduled: $0.scheduled,
                attempt: $0.attempt,
                result: .interrupted
            )
        }
        var harness = Self.restarted([job], states: states, interrupted: interrupted, at: Self.t0 + .seconds(13))
        harness.run(until: Self.t0 + .seconds(20))
        let expected: [Int64] = policy == .rerun ? [10, 20] : [20]
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == expected)
        #expect(harness.records(of: "tick", result: .missed).isEmpty)
    }

    // MARK: - Change tracking

    @Test("takePersistedChanges lists each changed job once, then nothing until the next change")
    func changeTracking() throws {
        let jobs = [SchedulerFixture.every("a", .seconds(10)), SchedulerFixture.every("b", .seconds(60))]
        var harness = SchedulerHarness(jobs: jobs, now: Self.t0)
        #expect(harness.core.takePersistedChanges().map(\.jobID).sorted() == ["a", "b"])
        #expect(harness.core.takePersistedChanges().isEmpty)
        harness.run(until: Self.t0 + .seconds(30))
        let changed = harness.core.takePersistedChanges()
        #expect(changed.map(\.jobID) == ["a"])
        #expect(changed.first?.lastScheduled == Self.t0 + .seconds(30))
        #expect(changed.first?.last?.result == .ok)
        try harness.pause("b")
        #expect(harness.core.takePersistedChanges().map(\.paused) == [true])
    }

    @Test("states of jobs no longer in the config are ignored")
    func unknownStatesIgnored() {
        let job = SchedulerFixture.every("tick", .seconds(10))
        let stray = PersistedJobState(jobID: "gone", lastScheduled: Self.t0, paused: true, firstAdded: Self.t0)
        let harness = Self.restarted([job], states: [stray], at: Self.t0 + .seconds(1))
        #expect(harness.core.jobCount == 1)
        #expect(harness.core.persistedState(of: "gone") == nil)
        #expect(harness.records.isEmpty)
    }
}
