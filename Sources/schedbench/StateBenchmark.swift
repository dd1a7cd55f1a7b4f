import SchedCore
import SchedRuntime
import SchedTime

#if canImport(Glibc)
    import Glibc
#endif

/// `schedbench state`: the cost of the crash-safe state store (Sources/SchedRuntime/State).
///
/// 1. Persist: one finished-run record, 2,000 times in a row, each timed with `CLOCK_MONOTONIC`;
///    p50/p99/max of (a) what the event loop pays: `recordFinished` + `commit` (encode the frame,
///    hand it to the background writer) and (b) until it is on disk: the writer's `pwrite` +
///    `fdatasync` (what a start waits for with `recordStarted`).
/// 2. Load: a store of 10,000 jobs × 100 history records (90 % ok runs, 10 % failures with a reason
///    and an output tail), compacted into one snapshot; `StateStore.open` timed five times (file in
///    the page cache, as after a daemon restart), median and max, plus the snapshot size.
///
/// The folder is `$SCHEDBENCH_DIR` or a fresh one under `/var/tmp` (a real disk, not tmpfs, so
/// `fdatasync` costs what it costs on this machine); it is removed afterwards.
enum StateBenchmark {
    static let start = Instant(secondsSinceEpoch: 1_767_225_600)  // 2026-01-01T00:00:00Z

    static func run(_ reporter: Reporter) {
        let directory = scratchDirectory()
        defer { removeTree(directory) }
        persist(reporter, directory: directory + "/persist")
        load(reporter, directory: directory + "/load")
    }

    // MARK: - Cases

    static func persist(_ reporter: Reporter, directory: String) {
        guard let store = openStore(directory) else { return }
        store.apply(config: config(jobs: 100, history: 100), now: start)
        var loopCosts: [Int64] = []
        var durableAfter: [Int64] = []
        for index in 0..<2_000 {
            let record = sampleRecord(index: index, job: "job\(index % 100)")
            let before = BenchmarkClock.monotonicNanoseconds()
            store.recordFinished(record)
            store.commit()
            let committed = BenchmarkClock.monotonicNanoseconds()
            do throws(StateError) {
                try store.flush()
            } catch {
                BenchmarkClock.printToStandardError("schedbench state: \(error)")
                return
            }
            loopCosts.append(committed - before)
            durableAfter.append(BenchmarkClock.monotonicNanoseconds() - before)
        }
        for (name, samples) in [
            ("persist run record: event loop blocked", loopCosts),
            ("persist run record: on disk (fdatasync)", durableAfter),
        ] {
            let sorted = samples.sorted()
            for (metric, rank) in [
                ("p50", sorted.count / 2), ("p99", sorted.count * 99 / 100), ("max", sorted.count - 1),
            ] {
                reporter.report(bench: "state", case: name, metric: metric, value: micro(sorted[rank]), unit: "us")
            }
        }
    }

    static func load(_ reporter: Reporter, directory: String) {
        let jobCount = 10_000
        let perJob = 100
        guard let store = openStore(directory) else { return }
        store.apply(config: config(jobs: jobCount, history: perJob), now: start)
        var index = 0
        for round in 0..<perJob {
            for job in 0..<jobCount {
                store.recordFinished(sampleRecord(index: index, job: "job\(job)", round: round))
                index += 1
            }
        }
        let compactStart = BenchmarkClock.monotonicNanoseconds()
        do throws(StateError) {
            try store.compact(now: start + .seconds(Int64(perJob) * 60))
            try store.close()
        } catch {
            BenchmarkClock.printToStandardError("schedbench state: \(error)")
            return
        }
        let compactTime = BenchmarkClock.monotonicNanoseconds() - compactStart
        let name = "\(jobCount) jobs x \(perJob) records"
        reporter.report(bench: "state", case: name, metric: "compact", value: milli(compactTime), unit: "ms")
        if let size = fileSize(directory + "/state.snapshot") {
            reporter.report(bench: "state", case: name, metric: "snapshot", value: Double(size) / 1e6, unit: "MB")
        }
        var times: [Int64] = []
        var loaded = 0
        for _ in 0..<5 {
            let before = BenchmarkClock.monotonicNanoseconds()
            guard let reopened = openStore(directory) else { return }
            times.append(BenchmarkClock.monotonicNanoseconds() - before)
            loaded = reopened.loadReport.records
            try? reopened.close()
        }
        times.sort()
        reporter.report(bench: "state", case: name, metric: "load p50", value: milli(times[2]), unit: "ms")
        reporter.report(bench: "state", case: name, metric: "load max", value: milli(times[4]), unit: "ms")
        reporter.report(bench: "state", case: name, metric: "records", value: Double(loaded), unit: "records")
    }

    // MARK: - Fixtures

    static func config(jobs: Int, history: Int) -> ScheduleConfig {
        let settings = SchedulerSettings(zone: .utc)
        let location = SourceLocation(file: "schedules.toml", line: 1, column: 1)
        let configs = (0..<jobs).map { index in
            var job = JobConfig(
                id: "job\(index)",
                trigger: .every(.seconds(60), anchor: nil),
                triggerText: "every 1m",
                action: .command(["/usr/local/bin/job"]),
                settings: settings,
                location: location
            )
            job.history = history
            return job
        }
        return ScheduleConfig(settings: settings, jobs: configs, files: ["schedules.toml"])
    }

    /// A realistic run object: mostly quiet successes, every tenth a failure with some output.
    static func sampleRecord(index: Int, job: String, round: Int = 0) -> RunRecord {
        let scheduled = start + .seconds(Int64(round) * 60)
        var record = RunRecord(
            runID: RunID(rawValue: UInt64(index + 1)),
            job: job,
            scheduled: scheduled,
            attempt: 1,
            result: .ok,
            started: scheduled + .milliseconds(3),
            finished: scheduled + .milliseconds(1_250)
        )
        record.exitCode = 0
        if index % 10 == 9 {
            record.result = .failed
            record.exitCode = 1
            record.outputTail = "error: connection refused (attempt \(index))"
        }
        return record
    }

    // MARK: - Files

    static func openStore(_ directory: String) -> StateStore? {
        let logger = Logger(minimumLevel: .warning)
        do throws(StateError) {
            return try StateStore.open(directory: directory, logger: logger, now: start)
        } catch {
            BenchmarkClock.printToStandardError("schedbench state: \(error)")
            return nil
        }
    }

    static func scratchDirectory() -> String {
        if let configured = getenv("SCHEDBENCH_DIR") { return String(cString: configured) }
        var template = Array("/var/tmp/schedbench-state-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        guard made else { return "/tmp/schedbench-state-\(getpid())" }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func removeTree(_ path: String) {
        for sub in ["persist", "load"] {
            for name in ["state.snapshot", "state.journal", "state.snapshot.tmp", "state.journal.tmp", "lock"] {
                unlink("\(path)/\(sub)/\(name)")
            }
            rmdir("\(path)/\(sub)")
        }
        rmdir(path)
    }

    static func fileSize(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    static func micro(_ nanoseconds: Int64) -> Double { Double(nanoseconds) / 1_000 }
    static func milli(_ nanoseconds: Int64) -> Double { Double(nanoseconds) / 1_000_000 }
}
