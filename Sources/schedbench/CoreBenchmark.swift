import SchedCore
import SchedCron
import SchedTime

/// `schedbench core`: a simulated day of 100,000 jobs through `SchedulerCore` alone.
///
/// Jobs: half cron (`H * * * *`, `H H/2 * * *`, `H/30 * * * *`, `H H * * *`, each hashed by its job
/// id, in UTC), half `every` (10 min, 30 min, 1 h, 2 h, 6 h); default policies. Two cases:
/// `max_concurrent` 64 (the default: runs due together wait in the pending heap) and 1,000,000
/// (nothing waits). The loop plays the shell: jump to `nextDeadline`, `advance(to:)`, and report every started
/// run as finished successfully at the same instant (`runFinished`), which also records it. Timed
/// with `CLOCK_PROCESS_CPUTIME_ID` over the whole day: firings per CPU second count start + finish
/// + record of each run.
///
/// Memory: resident set size (`/proc/self/statm`) before building the job configs, after building
/// them, and after loading the core; the per-job figures are the differences divided by the job
/// count. The core's share is what an idle job costs the scheduler (the configs exist anyway).
enum CoreBenchmark {
    static let jobCount = 100_000
    static let cronTexts = ["H * * * *", "H H/2 * * *", "H/30 * * * *", "H H * * *"]
    static let intervals: [Duration] = [
        .seconds(600), .seconds(1_800), .seconds(3_600), .seconds(7_200), .seconds(21_600),
    ]

    static func run(_ reporter: Reporter) {
        let start = Instant(secondsSinceEpoch: 1_767_225_600)  // 2026-01-01T00:00:00Z
        let settings = SchedulerSettings(zone: .utc)
        let location = SourceLocation(file: "schedules.toml", line: 1, column: 1)
        let action = JobAction.command(["/usr/local/bin/job"])

        let residentBefore = BenchmarkClock.residentBytes()
        var jobs: [JobConfig] = []
        jobs.reserveCapacity(jobCount)
        for index in 0..<jobCount {
            let id = "job\(index)"
            let trigger: Trigger
            let text: String
            if index % 2 == 0 {
                text = cronTexts[(index / 2) % cronTexts.count]
                guard let expression = try? CronExpression(parsing: text, hashSeed: id) else {
                    preconditionFailure("bad benchmark cron \(text)")
                }
                trigger = .cron(expression, zone: .utc, policy: expression.defaultDSTPolicy)
            } else {
                let interval = intervals[(index / 2) % intervals.count]
                text = "every \(DurationText.format(interval))"
                trigger = .every(interval, anchor: nil)
            }
            jobs.append(
                JobConfig(
                    id: id,
                    trigger: trigger,
                    triggerText: text,
                    action: action,
                    settings: settings,
                    location: location
                )
            )
        }
        let residentConfigs = BenchmarkClock.residentBytes()
        var firstCase = true
        for maxConcurrent in [64, 1_000_000] {
            var scheduler = settings
            scheduler.maxConcurrent = maxConcurrent
            let config = ScheduleConfig(settings: scheduler, jobs: jobs, files: ["schedules.toml"])
            let name = "100,000 jobs, 1 day, max_concurrent \(maxConcurrent)"
            let residentLoad = BenchmarkClock.residentBytes()
            let loadBefore = BenchmarkClock.cpuNanoseconds()
            var core = SchedulerCore(config: config, now: start, random: JitterRandom(seed: 1))
            let loadCPU = BenchmarkClock.cpuNanoseconds() - loadBefore
            let residentCore = BenchmarkClock.residentBytes()
            if firstCase, let residentBefore, let residentConfigs, let residentLoad, let residentCore {
                let configBytes = Double(residentConfigs - residentBefore) / Double(jobCount)
                let coreBytes = Double(residentCore - residentLoad) / Double(jobCount)
                reporter.report(bench: "core", case: name, metric: "config mem", value: configBytes, unit: "B/job")
                reporter.report(bench: "core", case: name, metric: "core mem", value: coreBytes, unit: "B/job")
            }
            firstCase = false
            reporter.report(bench: "core", case: name, metric: "load", value: Double(loadCPU) / 1e6, unit: "ms")
            simulateDay(&core, from: start, name: name, reporter)
        }
    }

    /// Plays the shell for one day: every started run finishes successfully at once.
    private static func simulateDay(
        _ core: inout SchedulerCore,
        from start: Instant,
        name: String,
        _ reporter: Reporter
    ) {
        let end = start + .seconds(86_400)
        var firings = 0
        var records = 0
        var wakeUps = 0
        let before = BenchmarkClock.cpuNanoseconds()
        while let deadline = core.nextDeadline, deadline <= end {
            wakeUps += 1
            var pending = core.advance(to: deadline)
            // Finishing a run may start a waiting one (max_concurrent): keep going until quiet.
            while !pending.isEmpty {
                var next: [SchedulerAction] = []
                for action in pending {
                    switch action {
                    case .start(let request):
                        firings += 1
                        let outcome = RunOutcome.success(started: deadline, finished: deadline)
                        next += core.runFinished(request.runID, outcome: outcome, now: deadline)
                    case .record:
                        records += 1
                    case .stop:
                        break
                    }
                }
                pending = next
            }
        }
        let cpu = Double(BenchmarkClock.cpuNanoseconds() - before) / 1e9
        reporter.report(bench: "core", case: name, metric: "firings", value: Double(firings), unit: "runs")
        reporter.report(bench: "core", case: name, metric: "wake-ups", value: Double(wakeUps), unit: "calls")
        reporter.report(bench: "core", case: name, metric: "cpu", value: cpu, unit: "s")
        reporter.report(
            bench: "core",
            case: name,
            metric: "throughput",
            value: Double(firings) / cpu,
            unit: "firings/cpu-s"
        )
        if records != firings {
            BenchmarkClock.printToStandardError("schedbench core: \(records) records for \(firings) firings")
        }
    }
}
