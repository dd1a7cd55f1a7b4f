import SchedCore
import SchedCron
import SchedTime
import Testing

/// Randomized scenarios: random jobs, policies, run lengths and outcomes, clock steps, pauses,
/// run-now and reloads, checked against invariants. Each seed reproduces its scenario exactly; a
/// failure names its seed.
@Suite struct SchedulerRandomTests {
    static let cronTexts = ["*/5 * * * *", "* * * * *", "*/30 * * * * *", "H * * * *", "0 */2 * * *", "15,45 * * * *"]

    static func randomJob(_ index: Int, using random: inout JitterRandom) -> JobConfig {
        var job: JobConfig
        if Bool.random(using: &random) {
            let text = cronTexts.randomElement(using: &random) ?? "* * * * *"
            job = SchedulerFixture.cron("job\(index)", text)
        } else {
            job = SchedulerFixture.every("job\(index)", .seconds(Int64.random(in: 5...900, using: &random)))
        }
        job.onOverlap = OverlapPolicy.allCases.randomElement(using: &random) ?? .skip
        job.maxInstances = Int.random(in: 1...3, using: &random)
        job.coalesce = Bool.random(using: &random)
        job.misfireGrace = .seconds(Int64.random(in: 1...600, using: &random))
        if Int.random(in: 0..<3, using: &random) == 0 {
            job.jitter = .seconds(Int64.random(in: 1...30, using: &random))
        }
        if Bool.random(using: &random) {
            job.retry = RetryPolicy(
                attempts: Int.random(in: 1...3, using: &random),
                backoff: .seconds(Int64.random(in: 1...60, using: &random)),
                factor: 2,
                maxDelay: .seconds(120)
            )
        }
        return job
    }

    @Test("random scenarios keep every invariant", arguments: [1, 2, 3, 42, 1_234, 99_991] as [UInt64])
    func randomScenario(seed: UInt64) throws {
        var random = JitterRandom(seed: seed)
        var jobs = (0..<12).map { Self.randomJob($0, using: &random) }
        var triggers = Dictionary(grouping: jobs.map { ($0.id, $0.trigger) }, by: \.0).mapValues { $0.map(\.1) }
        let maxConcurrent = Int.random(in: 2...8, using: &random)
        let start = SchedulerFixture.newYear
        var harness = SchedulerHarness(jobs: jobs, now: start, maxConcurrent: maxConcurrent, seed: seed)
        var scriptRandom = JitterRandom(seed: seed &+ 1)
        // Outcomes depend only on the run id, so the scenario is reproducible.
        harness.script = { request in
            var local = JitterRandom(seed: scriptRandom.next() ^ request.runID.rawValue)
            let duration = Duration.seconds(Int64.random(in: 0...400, using: &local))
            return Int.random(in: 0..<4, using: &local) == 0 ? .fail(after: duration) : .succeed(after: duration)
        }
        harness.startDaemon()
        for _ in 0..<40 {
            harness.run(for: .seconds(Int64.random(in: 60...3_600, using: &random)))
            let id = "job\(Int.random(in: 0..<jobs.count, using: &random))"
            switch Int.random(in: 0..<10, using: &random) {
            case 0: harness.stepClock(to: harness.now + .seconds(Int64.random(in: 60...20_000, using: &random)))
            case 1: harness.stepClock(to: harness.now - .seconds(Int64.random(in: 60...20_000, using: &random)))
            case 2: try harness.pause(id)
            case 3: try harness.resume(id)
            case 4: _ = try? harness.runNow(id)
            case 5:
                let index = Int.random(in: 0..<jobs.count, using: &random)
                jobs[index] = Self.randomJob(index, using: &random)
                triggers[jobs[index].id, default: []].append(jobs[index].trigger)
                _ = harness.apply(SchedulerFixture.config(jobs, maxConcurrent: maxConcurrent))
            default: break
            }
        }
        harness.run(for: .seconds(86_400))

        // Replay the action log and check the invariants at every step.
        var perJob: [String: Int] = [:]
        var total = 0
        var seen = Set<String>()
        var handled = Set<String>()
        var startedRuns = Set<RunID>()
        for ((at, action), highWater) in zip(harness.log, harness.highWaterMarks) {
            switch action {
            case .start(let request):
                total += 1
                perJob[request.jobID, default: 0] += 1
                startedRuns.insert(request.runID)
                #expect(total <= maxConcurrent, "seed \(seed): max_concurrent exceeded")
                // No run-now is forced here, so every start respects the limit of the definition it starts with.
                #expect(
                    perJob[request.jobID, default: 0] <= request.config.maxInstances,
                    "seed \(seed): \(request.jobID) exceeded max_instances"
                )
                guard !request.isManual else { continue }
                // After the clock stepped back, firings handled before the step (queued, waiting
                // for a slot, retries) may start at a wall time before their scheduled one.
                if at == highWater || request.scheduled > highWater {
                    #expect(at >= request.scheduled, "seed \(seed): \(request.jobID) started early")
                }
                let key = "\(request.jobID)@\(request.scheduled.nanosecondsSinceEpoch)#\(request.attempt)"
                #expect(!seen.contains(key), "seed \(seed): \(key) started twice")
                seen.insert(key)
                if request.attempt == 1 {
                    let firing = "\(request.jobID)@\(request.scheduled.nanosecondsSinceEpoch)"
                    #expect(!handled.contains(firing), "seed \(seed): \(firing) handled twice")
                    handled.insert(firing)
                    // A firing waiting for a slot across a reload starts with the new definition, so it
                    // must belong to one of the triggers the job has had.
                    let isCronFiring = triggers[request.jobID, default: []].contains { trigger in
                        guard case .cron(let expression, let zone, let policy) = trigger else { return true }
                        let next = expression.next(after: request.scheduled - .nanoseconds(1), in: zone, policy: policy)
                        return next?.instant == request.scheduled
                    }
                    #expect(isCronFiring, "seed \(seed): \(firing) is not a firing of the job's triggers")
                }
            case .record(let record):
                if startedRuns.contains(record.runID) {
                    total -= 1
                    perJob[record.job, default: 0] -= 1
                } else if record.firings == 1, record.attempt == 1, record.reason != "job paused",
                    record.reason != "job removed"
                {
                    let firing = "\(record.job)@\(record.scheduled.nanosecondsSinceEpoch)"
                    #expect(!handled.contains(firing), "seed \(seed): \(firing) handled twice")
                    handled.insert(firing)
                }
            case .stop:
                break
            }
        }
        #expect(harness.starts.count > 100, "seed \(seed): scenario too quiet")
    }
}
