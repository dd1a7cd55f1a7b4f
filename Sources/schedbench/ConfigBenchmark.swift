import SchedCore
import SchedTime
import TOML

#if canImport(Glibc)
    import Glibc
#endif

/// `schedbench config`: decode and validate a generated 10,000-job schedule.
///
/// The file mixes cron (fixed-time, wildcard, ranges, `H`, macros) and interval triggers with shell
/// and command actions, under `Europe/Berlin` so every cron job also gets its DST-note probes.
/// Reports the median of 20 runs for the TOML decode alone and for the whole load (decode,
/// model, validation, DST notes); the target for the whole load is ≤ 100 ms in a release build.
enum ConfigBenchmark {
    static let jobCount = 10_000
    static let runs = 20

    static func run(_ reporter: Reporter) {
        let text = generate(jobs: jobCount)
        let bytes = Array(text.utf8)
        let loader = ConfigLoader(
            fileSystem: MemoryFileSystem(path: "schedules.toml", bytes: bytes),
            systemZone: .utc
        )
        let now = Instant(secondsSinceEpoch: 1_795_867_200)  // 2026-11-28T12:00:00Z

        // Warm up (zone loading, caches) and check the generated file is valid.
        let check = loader.load(path: "schedules.toml", now: now)
        guard let config = check.config, config.jobs.count == jobCount else {
            print("generated config is invalid: \(check.errors.prefix(3).map(\.description))")
            return
        }

        let decode = measure(runs) {
            _ = try? TOMLDecoder.decode(bytes)
        }
        let load = measure(runs) {
            _ = loader.load(path: "schedules.toml", now: now)
        }
        let name = "\(jobCount) jobs (\(bytes.count / 1024) KB)"
        reporter.report(bench: "config", case: name, metric: "decode", value: decode.wall, unit: "ms")
        reporter.report(bench: "config", case: name, metric: "decode_cpu", value: decode.cpu, unit: "ms")
        reporter.report(bench: "config", case: name, metric: "load", value: load.wall, unit: "ms")
        reporter.report(bench: "config", case: name, metric: "load_cpu", value: load.cpu, unit: "ms")
        reporter.report(bench: "config", case: name, metric: "notes", value: Double(check.notes.count), unit: "count")
    }

    /// Medians over `runs` calls of `body`, in milliseconds: wall time, and this thread's CPU time,
    /// which stays meaningful when other processes compete for the cores.
    static func measure(_ runs: Int, _ body: () -> Void) -> (wall: Double, cpu: Double) {
        var wall: [Double] = []
        var cpu: [Double] = []
        for _ in 0..<runs {
            let wallStart = milliseconds(CLOCK_MONOTONIC)
            let cpuStart = milliseconds(CLOCK_THREAD_CPUTIME_ID)
            body()
            cpu.append(milliseconds(CLOCK_THREAD_CPUTIME_ID) - cpuStart)
            wall.append(milliseconds(CLOCK_MONOTONIC) - wallStart)
        }
        return (wall.sorted()[runs / 2], cpu.sorted()[runs / 2])
    }

    static func milliseconds(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
    }

    /// A schedule with `jobs` jobs cycling through eight trigger/action shapes.
    static func generate(jobs: Int) -> String {
        var text = """
            [scheduler]
            timezone = "Europe/Berlin"
            max_concurrent = 64
            timeout = "1h"

            """
        let crons = ["0 0 * * *", "*/15 * * * *", "30 2 * * *", "0 9 * * 1-5", "H H * * *", "@hourly"]
        let intervals = ["5m", "90s", "1h"]
        for index in 0..<jobs {
            text += "\n[jobs.job_\(index)]\n"
            text += "description = \"generated job \(index)\"\n"
            // Every third job has an interval; the others cycle through all cron shapes.
            if index % 3 == 2 {
                text += "every = \"\(intervals[index / 3 % intervals.count])\"\n"
            } else {
                text += "cron = \"\(crons[(index - index / 3) % crons.count])\"\n"
            }
            if index % 2 == 0 {
                text += "shell = \"echo \(index) >> /tmp/schedbench.log\"\n"
            } else {
                text += "command = [\"/usr/bin/env\", \"true\", \"\(index)\"]\n"
                text += "retry = { attempts = 2, backoff = \"5s\" }\n"
            }
        }
        return text
    }
}

/// One file in memory.
private struct MemoryFileSystem: ConfigFileSystem {
    let path: String
    let bytes: [UInt8]

    func readFile(atPath path: String) throws(ConfigFileError) -> [UInt8] {
        guard path == self.path else { throw ConfigFileError("No such file or directory") }
        return bytes
    }

    func contentsOfDirectory(atPath path: String) throws(ConfigFileError) -> [String] {
        throw ConfigFileError("No such file or directory")
    }
}
