import SchedCore
import SchedTime

/// `schedbench metrics`: what the metrics registry costs the daemon.
///
/// For 100, 1,000 and 10,000 `every 1m` jobs driven through a real `SchedulerCore` for one simulated
/// hour (every run succeeds after 1.5 s, every fifth fails), with every action fed to the registry:
/// - `observe`: the per-action cost of feeding the registry (the hour's actions, timed in one pass);
/// - `update+render`: a whole scrape — `update(statuses:)` from `core.jobStatuses` plus `render()` —
///   median of 21, also per job, and the exposition's size per job.
/// Per-job figures side by side across the sizes show whether a scrape scales linearly.
enum MetricsBenchmark {
    static func run(_ reporter: Reporter) {
        var checksum = 0
        for jobCount in [100, 1_000, 10_000] {
            let start = Instant(secondsSinceEpoch: 1_767_225_600)
            let settings = SchedulerSettings(zone: .utc)
            let jobs = (0..<jobCount).map { index in
                JobConfig(
                    id: "job\(index)",
                    trigger: .every(.seconds(60), anchor: start),
                    triggerText: "every 1m",
                    action: .command(["/usr/local/bin/job"]),
                    settings: settings,
                    location: SourceLocation(file: "schedules.toml", line: 1, column: 1)
                )
            }
            var core = SchedulerCore(
                config: ScheduleConfig(settings: settings, jobs: jobs, files: ["schedules.toml"]),
                now: start,
                random: JitterRandom(seed: 1)
            )
            // Play the shell for an hour, collecting (instant, actions).
            var batches: [(Instant, [SchedulerAction])] = []
            var finishing: [(Instant, RunID, Bool)] = []
            var counter = 0
            while let deadline = core.nextDeadline, deadline <= start + .seconds(3_600) {
                let actions = core.advance(to: deadline)
                batches.append((deadline, actions))
                for case .start(let request) in actions {
                    counter += 1
                    finishing.append((deadline + .milliseconds(1_500), request.runID, counter % 5 == 0))
                }
                for (end, id, fails) in finishing {
                    let outcome =
                        fails
                        ? RunOutcome.failure(code: 1, started: deadline, finished: end)
                        : RunOutcome.success(started: deadline, finished: end)
                    batches.append((end, core.runFinished(id, outcome: outcome, now: end)))
                }
                finishing.removeAll(keepingCapacity: true)
            }
            let actionCount = batches.reduce(0) { $0 + $1.1.count }

            var registry = MetricsRegistry(version: "bench")
            let before = BenchmarkClock.monotonicNanoseconds()
            for (instant, actions) in batches { registry.observe(actions, at: instant) }
            let observeNanoseconds = BenchmarkClock.monotonicNanoseconds() - before
            reporter.report(
                bench: "metrics",
                case: "observe (\(jobCount) jobs)",
                metric: "time",
                value: Double(observeNanoseconds) / Double(actionCount),
                unit: "ns/action"
            )

            var samples: [Int64] = []
            var bytes = 0
            for _ in 0..<21 {
                let begin = BenchmarkClock.monotonicNanoseconds()
                registry.update(statuses: core.jobStatuses)
                let text = registry.render()
                samples.append(BenchmarkClock.monotonicNanoseconds() - begin)
                bytes = text.utf8.count
                checksum &+= bytes
            }
            samples.sort()
            let median = Double(samples[samples.count / 2])
            reporter.report(
                bench: "metrics",
                case: "update+render (\(jobCount) jobs)",
                metric: "time",
                value: median / 1_000_000,
                unit: "ms"
            )
            reporter.report(
                bench: "metrics",
                case: "update+render per job (\(jobCount) jobs)",
                metric: "time",
                value: median / Double(jobCount) / 1_000,
                unit: "µs/job"
            )
            reporter.report(
                bench: "metrics",
                case: "exposition size per job (\(jobCount) jobs)",
                metric: "size",
                value: Double(bytes) / Double(jobCount),
                unit: "bytes/job"
            )
        }
        if checksum == 42 { BenchmarkClock.printToStandardError("checksum \(checksum)") }
    }
}
