import SchedCore
import SchedTime
import Testing

/// `max_concurrent`, pause/resume, add/replace/remove, `apply(config:)`, jitter and `@reboot`.
@Suite struct SchedulerRegistryTests {
    static let t0 = SchedulerFixture.newYear

    static func seconds(_ instants: [Instant]) -> [Int64] {
        instants.map { ($0 - t0).totalNanoseconds / 1_000_000_000 }
    }

    // MARK: - max_concurrent

    @Test("over max_concurrent, due runs wait in order of scheduled time and can turn missed")
    func concurrencySaturation() {
        // Five one-shot jobs due at 10, 11, 12, 13, 14 s, each running 20 s, two slots, 35 s grace.
        let jobs = (0..<5).map { index in
            var job = SchedulerFixture.at("j\(index)", Self.t0 + .seconds(10 + Int64(index)))
            job.misfireGrace = .seconds(35)
            return job
        }
        // Declared in reverse so the order of starts cannot come from the config order.
        var harness = SchedulerHarness(jobs: jobs.reversed(), now: Self.t0, maxConcurrent: 2)
        harness.script = { _ in .succeed(after: .seconds(20)) }
        harness.run(until: Self.t0 + .seconds(100))
        let starts = harness.starts.map { ($0.request.jobID, Self.seconds([$0.at])[0]) }
        // j0, j1 start at 10, 11; j2 at 30 (j0 ends), j3 at 31; j4 (due 14, deadline 49) at 50: missed.
        #expect(starts.map(\.0) == ["j0", "j1", "j2", "j3"])
        #expect(starts.map(\.1) == [10, 11, 30, 31])
        let missed = harness.records(of: "j4", result: .missed)
        #expect(missed.count == 1)
        #expect(missed.first?.reason?.contains("max_concurrent = 2") == true)
    }

    @Test("runs waiting for a slot start in scheduled order, not arrival order")
    func concurrencyOrder() {
        var blocker = SchedulerFixture.at("blocker", Self.t0 + .seconds(1))
        blocker.misfireGrace = .seconds(3_600)
        var late = SchedulerFixture.at("late", Self.t0 + .seconds(5))
        late.misfireGrace = .seconds(3_600)
        var early = SchedulerFixture.at("early", Self.t0 + .seconds(3))
        early.misfireGrace = .seconds(3_600)
        var harness = SchedulerHarness(jobs: [blocker, late, early], now: Self.t0, maxConcurrent: 1)
        harness.script = { request in
            request.jobID == "blocker" ? .succeed(after: .seconds(100)) : .succeed(after: .seconds(1))
        }
        // Both wait behind the blocker; a run-now (scheduled at 50) queues behind them.
        harness.run(until: Self.t0 + .seconds(50))
        #expect(harness.core.pendingCount == 2)
        _ = try? harness.runNow("blocker", force: true)
        #expect(harness.core.pendingCount == 3)
        harness.run(until: Self.t0 + .seconds(200))
        #expect(harness.starts.map(\.request.jobID) == ["blocker", "early", "late", "blocker"])
        #expect(Self.seconds(harness.starts.map(\.at)) == [1, 101, 102, 103])
    }

    // MARK: - Pause and resume

    @Test("a paused job does not fire, lists as paused, and resumes from its next firing")
    func pauseResume() throws {
        var harness = SchedulerHarness(jobs: [SchedulerFixture.every("job", .seconds(60))], now: Self.t0)
        harness.run(until: Self.t0 + .seconds(130))
        try harness.pause("job")
        #expect(harness.core.jobStatus("job")?.state == .paused)
        #expect(harness.core.jobStatus("job")?.next == nil)
        harness.run(until: Self.t0 + .seconds(400))
        try harness.resume("job")
        #expect(harness.core.jobStatus("job")?.state == .scheduled)
        #expect(harness.core.jobStatus("job")?.next == Self.t0 + .seconds(420))
        harness.run(until: Self.t0 + .seconds(500))
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [60, 120, 420, 480])
        #expect(harness.records.allSatisfy { $0.result == .ok })
    }

    @Test("pausing drops the queued firing and records it as skipped")
    func pauseDropsQueue() throws {
        var job = SchedulerFixture.every("job", .seconds(60))
        job.onOverlap = .queue
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.script = { _ in .succeed(after: .seconds(100)) }
        harness.run(until: Self.t0 + .seconds(130))
        #expect(harness.core.jobStatus("job")?.queued == Self.t0 + .seconds(120))
        try harness.pause("job")
        #expect(harness.core.jobStatus("job")?.queued == nil)
        #expect(harness.records(of: "job", result: .skipped).map(\.reason) == ["job paused"])
        harness.run(until: Self.t0 + .seconds(300))
        #expect(harness.starts.count == 1)
    }

    // MARK: - Registry

    @Test("adding an existing id is a conflict unless replace-existing")
    func addConflict() throws {
        var core = SchedulerCore(
            config: SchedulerFixture.config([SchedulerFixture.every("job", .seconds(60))]),
            now: Self.t0,
            random: JitterRandom(seed: 1)
        )
        let error = #expect(throws: SchedulerError.self) {
            _ = try core.add(SchedulerFixture.every("job", .seconds(30)), now: Self.t0)
        }
        #expect(error?.code == .jobExists)
        _ = try core.add(SchedulerFixture.every("job", .seconds(30)), replaceExisting: true, now: Self.t0)
        #expect(core.jobStatus("job")?.next == Self.t0 + .seconds(30))
        _ = try core.add(SchedulerFixture.cron("other", "0 * * * *"), now: Self.t0)
        #expect(core.jobCount == 2)
        _ = try core.remove(jobID: "other", now: Self.t0)
        #expect(core.jobStatus("other") == nil)
        #expect(throws: SchedulerError.self) { _ = try core.remove(jobID: "other", now: Self.t0) }
    }

    @Test("apply(config:) reports added, replaced, unchanged and removed jobs and leaves runs in flight alone")
    func applyDiff() {
        let keep = SchedulerFixture.every("keep", .seconds(60))
        let change = SchedulerFixture.every("change", .seconds(60))
        let drop = SchedulerFixture.every("drop", .seconds(60))
        var harness = SchedulerHarness(jobs: [keep, change, drop], now: Self.t0)
        harness.script = { request in
            request.jobID == "drop" ? .succeed(after: .seconds(50)) : .fail(after: .seconds(1))
        }
        harness.run(until: Self.t0 + .seconds(70))
        #expect(harness.core.jobStatus("drop")?.state == .running)
        #expect(harness.core.jobStatus("change")?.consecutiveFailures == 1)

        var moved = keep
        moved.location = SourceLocation(file: "schedules.d/10.toml", line: 4, column: 1)
        var changed = change
        changed.timeout = .seconds(5)
        let added = SchedulerFixture.cron("new", "*/2 * * * *")
        let diff = harness.apply(SchedulerFixture.config([moved, changed, added]))
        #expect(diff.added == ["new"])
        #expect(diff.replaced == ["change"])
        #expect(diff.unchanged == ["keep"])
        #expect(diff.removed == ["drop"])
        // The replaced job keeps its state and its phase.
        #expect(harness.core.jobStatus("change")?.consecutiveFailures == 1)
        #expect(harness.core.jobStatus("change")?.next == Self.t0 + .seconds(120))
        #expect(harness.core.jobStatus("drop") == nil)
        #expect(harness.stops.isEmpty)
        // The removed job's run in flight ends normally and is recorded.
        harness.run(until: Self.t0 + .seconds(240))
        #expect(harness.records(of: "drop", result: .ok).count == 1)
        #expect(harness.starts(of: "drop").count == 1)
        #expect(Self.seconds(harness.starts(of: "new").map(\.request.scheduled)) == [120, 240])
        #expect(harness.starts(of: "change").last?.request.config.timeout == .seconds(5))
    }

    @Test("an every job without start keeps its phase across a reload that changes its interval anchor-free settings")
    func everyPhaseSurvivesReload() {
        var job = SchedulerFixture.every("job", .seconds(300))
        var harness = SchedulerHarness(jobs: [job], now: Self.t0 + .seconds(7))
        harness.run(until: Self.t0 + .seconds(1_000))
        job.description = "now documented"
        _ = harness.apply(SchedulerFixture.config([job]))
        harness.run(until: Self.t0 + .seconds(2_000))
        #expect(Self.seconds(harness.starts.map(\.request.scheduled)) == [307, 607, 907, 1_207, 1_507, 1_807])
    }

    @Test("disabled jobs never fire and list as disabled; run-now still starts them")
    func disabled() throws {
        var job = SchedulerFixture.every("off", .seconds(10))
        job.enabled = false
        var harness = SchedulerHarness(jobs: [job], now: Self.t0)
        harness.run(until: Self.t0 + .seconds(100))
        #expect(harness.starts.isEmpty)
        #expect(harness.core.jobStatus("off")?.state == .disabled)
        _ = try harness.runNow("off")
        #expect(harness.starts.count == 1)
    }

    // MARK: - Jitter and @reboot

    @Test(
        "jitter delays each firing by [0, jitter], keeps the nominal time, and repeats under a seed",
        arguments: [1, 2, 99] as [UInt64]
    )
    func jitter(seed: UInt64) {
        var job = SchedulerFixture.every("jittery", .seconds(60))
        job.jitter = .seconds(20)
        func simulate() -> [SchedulerHarness.Start] {
            var harness = SchedulerHarness(jobs: [job], now: Self.t0, seed: seed)
            harness.run(until: Self.t0 + .seconds(6_000))
            return harness.starts
        }
        let first = simulate()
        let second = simulate()
        #expect(first.count >= 99, "seed \(seed)")
        #expect(first.map(\.at) == second.map(\.at), "seed \(seed)")
        let delays = first.map { $0.at - $0.request.scheduled }
        #expect(delays.allSatisfy { $0 >= .zero && $0 <= .seconds(20) }, "seed \(seed)")
        #expect(Set(delays).count > 50, "seed \(seed): delays should vary")
        #expect(first.map(\.request.scheduled) == (1...first.count).map { Self.t0 + .seconds(Int64($0) * 60) })
    }

    @Test("@reboot fires on daemon start only, never on reload or later")
    func reboot() {
        let reboot = SchedulerFixture.cron("boot", "@reboot")
        var harness = SchedulerHarness(jobs: [reboot], now: Self.t0)
        harness.run(until: Self.t0 + .seconds(10))
        #expect(harness.starts.isEmpty)
        harness.startDaemon()
        #expect(harness.starts.map(\.request.jobID) == ["boot"])
        #expect(harness.starts.first?.request.scheduled == Self.t0 + .seconds(10))
        harness.startDaemon()
        let other = SchedulerFixture.cron("boot2", "@reboot")
        _ = harness.apply(SchedulerFixture.config([reboot, other]))
        harness.run(until: Self.t0 + .seconds(86_400 * 30))
        #expect(harness.starts.count == 1)
        #expect(harness.core.jobStatus("boot2")?.next == nil)
    }
}
