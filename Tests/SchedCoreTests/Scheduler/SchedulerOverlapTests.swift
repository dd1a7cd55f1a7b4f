import SchedCore
import SchedTime
import Testing

/// Jobs that run longer than their interval, under each `on_overlap`, and `max_instances`.
@Suite struct SchedulerOverlapTests {
    static let t0 = SchedulerFixture.newYear

    /// An every-minute job whose runs take 150 s, with `policy`.
    static func slowJob(_ policy: OverlapPolicy, maxInstances: Int = 1) -> SchedulerHarness {
        var job = SchedulerFixture.every("slow", .seconds(60))
        job.onOverlap = policy
        job.maxInstances = maxInstances
        var harness = SchedulerHarness(jobs: [job], now: t0)
        harness.script = { _ in .succeed(after: .seconds(150)) }
        return harness
    }

    static func seconds(_ instants: [Instant]) -> [Int64] {
        instants.map { ($0 - t0).totalNanoseconds / 1_000_000_000 }
    }

    @Test("skip: firings while the run is active are recorded as skipped with a reason")
    func skip() {
        var harness = Self.slowJob(.skip)
        harness.run(until: Self.t0 + .seconds(600))
        // Runs start at 60, 240 (after 60+150=210), 420, 600; 120, 180, 300, 360, 480, 540 skipped.
        #expect(Self.seconds(harness.starts.map(\.at)) == [60, 240, 420, 600])
        let skipped = harness.records(of: "slow", result: .skipped)
        #expect(Self.seconds(skipped.map(\.scheduled)) == [120, 180, 300, 360, 480, 540])
        #expect(skipped.allSatisfy { $0.reason?.contains("max_instances = 1") == true })
    }

    @Test("queue: one firing waits and starts when the run ends; a second is skipped")
    func queue() {
        var harness = Self.slowJob(.queue)
        harness.run(until: Self.t0 + .seconds(400))
        // 60 runs to 210; 120 queued, 180 skipped; 120 starts at 210 and runs to 360; 240 queued,
        // 300 skipped; 240 starts at 360 (within the 5 min grace).
        let starts = harness.starts
        #expect(Self.seconds(starts.map(\.at)) == [60, 210, 360])
        #expect(Self.seconds(starts.map(\.request.scheduled)) == [60, 120, 240])
        let skipped = harness.records(of: "slow", result: .skipped)
        #expect(Self.seconds(skipped.map(\.scheduled)) == [180, 300])
        #expect(skipped.first?.reason?.contains("already queued") == true)
    }

    @Test("queue: a queued firing that waits past misfire_grace is missed")
    func queuedFiringMisses() {
        var job = SchedulerFixture.every("slow", .seconds(60))
        job.onOverlap = .queue
        job.misfireGrace = .seconds(30)
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.script = { _ in .succeed(after: .seconds(150)) }
        harness.run(until: Self.t0 + .seconds(215))
        // 120 is queued at 120 and can start at 210 — 90 s late, past the 30 s grace.
        let missed = harness.records(of: "slow", result: .missed)
        #expect(Self.seconds(missed.map(\.scheduled)) == [120])
        #expect(harness.starts.count == 1)
    }

    @Test("replace: the running instance is stopped, the new firing starts once it has exited")
    func replace() {
        var harness = Self.slowJob(.replace)
        harness.stopLatency = .seconds(2)
        harness.run(until: Self.t0 + .seconds(200))
        #expect(harness.stops.count == 2)
        #expect(Self.seconds(harness.stops.map(\.at)) == [120, 180])
        #expect(Self.seconds(harness.starts.map(\.at)) == [60, 122, 182])
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [60, 120, 180])
        let killed = harness.records(of: "slow", result: .killed)
        #expect(killed.count == 2)
        #expect(killed.first?.reason?.contains("replaced by the firing scheduled at") == true)
        #expect(killed.first?.signal == 15)
        // A replaced run is not retried and counts as a failure.
        #expect(harness.core.jobStatus("slow")?.consecutiveFailures == 2)
    }

    @Test("max_instances = 2 lets two runs overlap and skips the third")
    func twoInstances() {
        var harness = Self.slowJob(.skip, maxInstances: 2)
        harness.run(until: Self.t0 + .seconds(300))
        // 60 (to 210), 120 (to 270); 180 skipped (two active); 240 starts (60 ended); 300 starts.
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [60, 120, 240, 300])
        #expect(Self.seconds(harness.records(of: "slow", result: .skipped).map(\.scheduled)) == [180])
        #expect(harness.core.jobStatus("slow")?.state == .running)
    }

    @Test("run-now respects max_instances unless forced, and does not move the schedule")
    func runNow() throws {
        var harness = Self.slowJob(.skip)
        harness.run(until: Self.t0 + .seconds(70))
        let nextBefore = harness.core.jobStatus("slow")?.next
        let error = #expect(throws: SchedulerError.self) { _ = try harness.runNow("slow") }
        #expect(error?.code == .maxInstancesReached)
        #expect(error?.description.contains("--force") == true)
        let forced = try harness.runNow("slow", force: true)
        #expect(harness.starts.last?.request.runID == forced)
        #expect(harness.starts.last?.request.isManual == true)
        #expect(harness.starts.last?.request.scheduled == harness.now)
        #expect(harness.core.jobStatus("slow")?.running.count == 2)
        #expect(harness.core.jobStatus("slow")?.next == nextBefore)
    }

    @Test("run-now on an idle job starts at once; the regular firings follow unchanged")
    func runNowIdle() throws {
        var harness = SchedulerHarness(jobs: [SchedulerFixture.every("idle", .seconds(60))], now: Self.t0)
        harness.run(until: Self.t0 + .seconds(30))
        let id = try harness.runNow("idle")
        #expect(harness.starts.map(\.request.runID) == [id])
        harness.run(until: Self.t0 + .seconds(120))
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [30, 60, 120])
    }

    @Test("run-now of an unknown job suggests the closest id")
    func unknownJob() {
        var harness = SchedulerHarness(jobs: [SchedulerFixture.every("backup_db", .seconds(60))], now: Self.t0)
        let error = #expect(throws: SchedulerError.self) { _ = try harness.runNow("backup_bd") }
        #expect(error?.code == .unknownJob)
        #expect(error?.suggestion == "backup_db")
        #expect(error?.description == "no job 'backup_bd'; did you mean 'backup_db'?")
    }
}
