import SchedCore
import SchedRuntime
import SchedTime

#if canImport(Glibc)
    import Glibc
#endif

/// `schedbench state-torture DIR FIRST_RUN` (hidden): the child process of the state store's
/// kill -9 test (Tests/SchedRuntimeTests/State/StateStoreKillTests.swift).
///
/// Opens the store in DIR and, for run numbers FIRST_RUN, FIRST_RUN + 1, …, forever: records the
/// run as started (durable on return) and prints `S n`, then records it finished, flushes and
/// prints `F n`. A printed line is an acknowledgement: the test kills this process at random and
/// checks that everything acknowledged survived, exactly once. The journal is compacted every few
/// KiB so kills also land inside compactions.
enum StateTorture {
    static let jobs = ["alpha", "beta", "gamma"]

    static func run(_ arguments: [String]) -> Never {
        guard arguments.count == 2, let first = UInt64(arguments[1]) else {
            BenchmarkClock.printToStandardError("usage: schedbench state-torture DIR FIRST_RUN")
            exit(2)
        }
        let start = Instant(secondsSinceEpoch: 1_767_225_600)
        let options = StateStore.Options(compactionThreshold: 8 << 10)
        let store: StateStore
        do throws(StateError) {
            store = try StateStore.open(directory: arguments[0], options: options, logger: Logger(), now: start)
        } catch {
            BenchmarkClock.printToStandardError("state-torture: \(error)")
            exit(1)
        }
        let config = configuration()
        store.apply(config: config, now: start)
        var number = first
        while true {
            let job = jobs[Int(number % UInt64(jobs.count))]
            let scheduled = start + .seconds(Int64(number))
            let request = StartedRun(
                runID: RunID(rawValue: number),
                jobID: job,
                scheduled: scheduled,
                attempt: 1,
                isManual: false,
                started: scheduled
            )
            do throws(StateError) {
                try store.recordStarted([request])
                acknowledge("S \(number)")
                var record = RunRecord(
                    runID: request.runID,
                    job: request.jobID,
                    scheduled: scheduled,
                    attempt: 1,
                    result: .ok,
                    started: scheduled,
                    finished: scheduled + .milliseconds(5)
                )
                record.exitCode = 0
                store.recordFinished(record)
                try store.flush()
                acknowledge("F \(number)")
                store.compactIfNeeded(now: scheduled)
            } catch {
                BenchmarkClock.printToStandardError("state-torture: \(error)")
                exit(1)
            }
            number += 1
        }
    }

    static func configuration() -> ScheduleConfig {
        let settings = SchedulerSettings(zone: .utc)
        let location = SourceLocation(file: "schedules.toml", line: 1, column: 1)
        let configs = jobs.map { id in
            var job = JobConfig(
                id: id,
                trigger: .every(.seconds(1), anchor: nil),
                triggerText: "every 1s",
                action: .command(["/bin/true"]),
                settings: settings,
                location: location
            )
            job.history = 1_000_000
            return job
        }
        return ScheduleConfig(settings: settings, jobs: configs, files: ["schedules.toml"])
    }

    /// One line on stdout with a single unbuffered `write`.
    static func acknowledge(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { bytes in _ = write(1, bytes.baseAddress, bytes.count) }
    }
}
