import SchedTime

#if canImport(Glibc)
    import Glibc
#endif

/// `schedbench daemon [--schedd PATH] [--seconds N] [--idle-seconds N] [--jobs N]`: the real
/// `schedd` binary (default: the one beside schedbench) driven through its config and log.
///
/// 1. Steady lateness: `--jobs` (1,000) jobs `every = "1s"` running `/bin/true`, their `start`
///    anchors spread evenly across the second, for `--seconds` (20). Lateness is the daemon's own
///    `lateness_ms` of each `run_started` line (wall clock at spawn minus the scheduled instant,
///    whole milliseconds, so "0" means under 1 ms); lost = firings due in the window minus starts.
/// 2. Burst: `--jobs` jobs `at` the same instant: time until the last one started (its
///    `lateness_ms`), beside the raw `posix_spawn` + `waitpid` rate of `/bin/true` in this process.
/// 3. Idle: 10 jobs due in 2 hours, `--idle-seconds` (60) of nothing: context switches (voluntary
///    + involuntary, of the event-loop thread) and CPU time of the daemon from `/proc/PID`.
/// 4. Memory: `VmRSS` and its anonymous part `RssAnon` after start-up with 10 and with 10,000 jobs.
enum DaemonBenchmark {
    struct Options {
        var schedd: String
        var seconds = 20
        var idleSeconds = 60
        var jobs = 1_000
    }

    static func run(_ reporter: Reporter) {
        let options = parseOptions()
        guard access(options.schedd, X_OK) == 0 else {
            BenchmarkClock.printToStandardError("schedbench daemon: no schedd at \(options.schedd) (use --schedd PATH)")
            exit(2)
        }
        steady(options, reporter)
        burst(options, reporter)
        idle(options, reporter)
        memory(options, reporter)
    }

    static func parseOptions() -> Options {
        var options = Options(schedd: siblingBinary("schedd"))
        let arguments = Array(CommandLine.arguments.dropFirst())
        var index = 0
        while index + 1 < arguments.count {
            let value = arguments[index + 1]
            switch arguments[index] {
            case "--schedd": options.schedd = value
            case "--seconds": options.seconds = Int(value) ?? options.seconds
            case "--idle-seconds": options.idleSeconds = Int(value) ?? options.idleSeconds
            case "--jobs": options.jobs = Int(value) ?? options.jobs
            default:
                index += 1
                continue
            }
            index += 2
        }
        return options
    }

    // MARK: - Cases

    static func steady(_ options: Options, _ reporter: Reporter) {
        let base = wholeSecond(secondsFromNow: 3)
        var config = "[scheduler]\nmax_concurrent = \(options.jobs * 2)\n"
        for index in 0..<options.jobs {
            let phase = Duration.nanoseconds(Int64(index) * 1_000_000_000 / Int64(options.jobs))
            config += "\n[jobs.j\(index)]\nevery = \"1s\"\nstart = \(RFC3339.format(base + phase))\n"
            config += "command = [\"/bin/true\"]\n"
        }
        let daemon = DaemonUnderTest(binary: options.schedd, config: config)
        // First firings one interval after the anchors; the window is `seconds` whole seconds of them.
        let windowStart = base + .seconds(1)
        let windowEnd = windowStart + .seconds(Int64(options.seconds))
        sleepUntil(windowEnd + .milliseconds(500))
        let log = daemon.log
        daemon.stop()
        let started = runStartedLines(log).filter { $0.scheduled >= windowStart && $0.scheduled < windowEnd }
        let lateness = started.map { Double($0.latenessMilliseconds) }.sorted()
        let expected = options.jobs * options.seconds
        let name = "steady \(options.jobs) jobs x 1/s, \(options.seconds) s"
        reporter.report(bench: "daemon", case: name, metric: "p50", value: percentile(lateness, 0.50), unit: "ms")
        reporter.report(bench: "daemon", case: name, metric: "p99", value: percentile(lateness, 0.99), unit: "ms")
        reporter.report(bench: "daemon", case: name, metric: "max", value: lateness.last ?? -1, unit: "ms")
        reporter.report(bench: "daemon", case: name, metric: "started", value: Double(started.count), unit: "runs")
        reporter.report(
            bench: "daemon",
            case: name,
            metric: "lost",
            value: Double(max(0, expected - started.count)),
            unit: "firings"
        )
    }

    static func burst(_ options: Options, _ reporter: Reporter) {
        let at = wholeSecond(secondsFromNow: 3)
        var config = "[scheduler]\nmax_concurrent = \(options.jobs * 2)\n"
        for index in 0..<options.jobs {
            config += "\n[jobs.b\(index)]\nat = \(RFC3339.format(at))\ncommand = [\"/bin/true\"]\n"
        }
        let daemon = DaemonUnderTest(binary: options.schedd, config: config)
        daemon.waitForLog("event=run_finished", count: options.jobs, timeout: 30)
        let log = daemon.log
        daemon.stop()
        let started = runStartedLines(log)
        let last = Double(started.map(\.latenessMilliseconds).max() ?? 0)
        let name = "burst \(options.jobs) jobs at one instant"
        reporter.report(bench: "daemon", case: name, metric: "started", value: Double(started.count), unit: "runs")
        reporter.report(bench: "daemon", case: name, metric: "all started", value: last, unit: "ms")
        // Whole milliseconds: a burst that all started within the first one counts as 1 ms.
        let daemonRate = Double(started.count) / (max(last, 1) / 1_000)
        reporter.report(bench: "daemon", case: name, metric: "rate", value: daemonRate, unit: "spawns/s")
        let raw = rawSpawnRate(count: options.jobs)
        reporter.report(
            bench: "daemon",
            case: "raw posix_spawn+waitpid /bin/true",
            metric: "rate",
            value: raw,
            unit: "spawns/s"
        )
        reporter.report(bench: "daemon", case: name, metric: "vs raw", value: daemonRate / raw * 100, unit: "%")
    }

    static func idle(_ options: Options, _ reporter: Reporter) {
        let daemon = DaemonUnderTest(binary: options.schedd, config: jobsConfig(count: 10))
        daemon.waitForLog("event=daemon_started", timeout: 10)
        usleep(1_000_000)
        let switchesBefore = daemon.contextSwitches
        let ticksBefore = daemon.cpuTicks
        usleep(UInt32(options.idleSeconds) * 1_000_000)
        let switches = daemon.contextSwitches - switchesBefore
        let ticks = daemon.cpuTicks - ticksBefore
        daemon.stop()
        let name = "idle 10 jobs, \(options.idleSeconds) s"
        reporter.report(bench: "daemon", case: name, metric: "wakeups", value: Double(switches), unit: "ctx switches")
        let milliseconds = Double(ticks) * 1_000 / Double(sysconf(Int32(_SC_CLK_TCK)))
        reporter.report(bench: "daemon", case: name, metric: "cpu", value: milliseconds, unit: "ms")
    }

    static func memory(_ options: Options, _ reporter: Reporter) {
        for count in [10, 10_000] {
            let daemon = DaemonUnderTest(binary: options.schedd, config: jobsConfig(count: count))
            daemon.waitForLog("event=daemon_started", timeout: 30)
            usleep(500_000)
            let resident = Double(daemon.residentBytes ?? 0) / 1_048_576
            let anonymous = Double(daemon.anonymousResidentBytes ?? 0) / 1_048_576
            daemon.stop()
            reporter.report(
                bench: "daemon",
                case: "resident, \(count) jobs",
                metric: "rss",
                value: resident,
                unit: "MiB"
            )
            reporter.report(
                bench: "daemon",
                case: "resident, \(count) jobs",
                metric: "rss anon",
                value: anonymous,
                unit: "MiB"
            )
        }
    }

    // MARK: - Helpers

    /// `count` jobs that fire every 2 hours (so none fires during a benchmark).
    static func jobsConfig(count: Int) -> String {
        var config = ""
        for index in 0..<count {
            config += "[jobs.idle\(index)]\nevery = \"2h\"\ncommand = [\"/bin/true\"]\n\n"
        }
        return config
    }

    /// One `run_started` line's facts.
    struct RunStarted {
        var scheduled: Instant
        var latenessMilliseconds: Int
    }

    static func runStartedLines(_ log: String) -> [RunStarted] {
        var result: [RunStarted] = []
        for line in log.split(separator: "\n") where line.contains("event=run_started") {
            var scheduled: Instant?
            var lateness: Int?
            for field in line.split(separator: " ") {
                if field.hasPrefix("scheduled=") { scheduled = RFC3339.parse(String(field.dropFirst(10))) }
                if field.hasPrefix("lateness_ms=") { lateness = Int(field.dropFirst(12)) }
            }
            if let scheduled, let lateness {
                result.append(RunStarted(scheduled: scheduled, latenessMilliseconds: lateness))
            }
        }
        return result
    }

    /// Spawns and reaps `/bin/true` `count` times in a row; spawns per second.
    static func rawSpawnRate(count: Int) -> Double {
        let start = BenchmarkClock.monotonicNanoseconds()
        for _ in 0..<count {
            var child: pid_t = 0
            let status = withCStrings(["/bin/true"]) { argv in
                withCStrings(["PATH=/usr/bin:/bin"]) { environment in
                    posix_spawn(&child, "/bin/true", nil, nil, argv, environment)
                }
            }
            guard status == 0 else { continue }
            var exitStatus: Int32 = 0
            _ = waitpid(child, &exitStatus, 0)
        }
        let seconds = Double(BenchmarkClock.monotonicNanoseconds() - start) / 1e9
        return Double(count) / seconds
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return -1 }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
        return sorted[max(0, index)]
    }

    static func now() -> Instant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Instant(nanosecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    /// The whole second at least `seconds` from now.
    static func wholeSecond(secondsFromNow seconds: Int64) -> Instant {
        Instant(secondsSinceEpoch: now().secondsSinceEpoch + seconds + 1)
    }

    static func sleepUntil(_ instant: Instant) {
        let remaining = (instant - now()).totalNanoseconds
        if remaining > 0 { usleep(UInt32(remaining / 1_000)) }
    }

    /// `name` in the folder of the running executable.
    static func siblingBinary(_ name: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return name }
        let path = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return name }
        return String(path[..<slash]) + "/" + name
    }
}
