import SchedCore
import SchedRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// `schedbench http`: HTTP health checks against a local server (`LocalHTTPServer`, 127.0.0.1).
///
/// Daemon case (the figure): the real `schedd` (found beside `schedbench`) with
/// http jobs `every = "…"` offering 400 checks per second (16 jobs every 40 ms), then 1,600 (32 jobs
/// every 20 ms, more than two cores can start, to find the ceiling), `history = 10`.
/// After `warmUp` checks (so every job's history ring is full and the allocator is warm), the
/// daemon's resident memory (`/proc/<pid>/statm`) and CPU time (`/proc/<pid>/stat`) are read, then
/// again after 1,000 more checks answered by the server (and memory once more after another 2,000);
/// checks/s is 1,000 over that wall-clock time.
/// When the daemon keeps up, checks/s equals the offered rate: it shows the target is met, not the
/// ceiling. The runner cases find the ceiling of the same path without the scheduler around it.
///
/// Runner cases: 1,000 checks through `HTTPProbeLauncher` + `ProcessRunner` on one `EventLoop`, the
/// exact path the daemon takes for an `http` job, with 1, 8 and 64 probes in flight.
enum HTTPBenchmark {
    static let checkCount = 1_000
    /// (jobs, interval in ms) of each daemon case.
    static let daemonLoads = [(16, 40), (32, 20)]
    static let warmUp = 500

    static func run(_ reporter: Reporter) {
        let server = LocalHTTPServer()
        let launcher = HTTPProbeLauncher.besideRunningExecutable()
        guard access(launcher.probePath, X_OK) == 0 else {
            BenchmarkClock.printToStandardError("schedbench http: \(launcher.probePath) not found; build it first")
            exit(1)
        }
        // The probe cases come first: `max rss` of the children would otherwise include the daemon's.
        let url = "http://127.0.0.1:\(server.port)/health"
        probeCostCase(program: launcher.probePath, url: url, reporter)
        let httpsProbe = launcher.probePath.replacingSuffix(HTTPProbeLauncher.probeName, with: "schedd-https-probe")
        probeCostCase(program: httpsProbe, url: url, reporter)
        for (jobs, interval) in daemonLoads {
            daemonCase(server: server, jobs: jobs, intervalMilliseconds: interval, reporter)
        }
        let check = HTTPCheck(url: "http://127.0.0.1:\(server.port)/health", expectBody: "ok", timeout: .seconds(10))
        for concurrency in [1, 8, 64] {
            runnerCase(launcher: launcher, check: check, concurrency: concurrency, reporter)
        }
    }

    // MARK: - Daemon

    static func daemonCase(server: LocalHTTPServer, jobs: Int, intervalMilliseconds: Int, _ reporter: Reporter) {
        let name = "schedd, \(jobs) jobs every \(intervalMilliseconds)ms"
        let offeredRate = jobs * 1000 / intervalMilliseconds
        var template = Array("/tmp/schedbench-http-XXXXXX".utf8CString)
        guard let folderPointer = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            preconditionFailure("mkdtemp failed")
        }
        let folder = String(cString: folderPointer)
        var config = """
            [scheduler]
            state_dir = "\(folder)/state"
            socket = "\(folder)/control.sock"
            history = 10

            """
        for index in 0..<jobs {
            config += """
                [jobs.check\(index)]
                every = "\(intervalMilliseconds)ms"
                http = { url = "http://127.0.0.1:\(server.port)/health", expect_body = "ok", timeout = "5s" }

                """
        }
        let configPath = folder + "/schedules.toml"
        writeFile(configPath, config)

        let schedd = HTTPProbeLauncher.besideRunningExecutable().probePath
            .replacingSuffix(HTTPProbeLauncher.probeName, with: "schedd")
        let pid = spawnQuietly([schedd, "--config", configPath])
        defer {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            _ = system("rm -rf '\(folder)'")
        }

        let start = server.requestCount
        guard waitForRequests(server, atLeast: start + warmUp, pid: pid) else { return }
        let residentBefore = residentBytes(of: pid)
        let cpuBefore = cpuTicks(of: pid)
        let counted = server.requestCount
        let begin = BenchmarkClock.monotonicNanoseconds()
        guard waitForRequests(server, atLeast: counted + checkCount, pid: pid) else { return }
        let seconds = Double(BenchmarkClock.monotonicNanoseconds() - begin) / 1e9
        let answered = server.requestCount - counted
        let residentAfter = residentBytes(of: pid)
        let cpuAfter = cpuTicks(of: pid)
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        // Two thousand more: growth per check, if any, would show here three times over.
        guard waitForRequests(server, atLeast: server.requestCount + 2 * checkCount, pid: pid) else { return }
        let residentLater = residentBytes(of: pid)

        reporter.report(bench: "http", case: name, metric: "offered", value: Double(offeredRate), unit: "1/s")
        reporter.report(bench: "http", case: name, metric: "checks/s", value: Double(answered) / seconds, unit: "1/s")
        reporter.report(
            bench: "http",
            case: name,
            metric: "daemon cpu",
            value: Double(cpuAfter - cpuBefore) / ticksPerSecond * 1e6 / Double(answered),
            unit: "µs/check"
        )
        reporter.report(bench: "http", case: name, metric: "rss before", value: residentBefore / 1024, unit: "KiB")
        reporter.report(bench: "http", case: name, metric: "rss after", value: residentAfter / 1024, unit: "KiB")
        reporter.report(bench: "http", case: name, metric: "rss +2,000", value: residentLater / 1024, unit: "KiB")
    }

    /// Waits until the server has answered `count` requests; false (with a message) when the daemon
    /// died or 60 s passed.
    static func waitForRequests(_ server: LocalHTTPServer, atLeast count: Int, pid: pid_t) -> Bool {
        let deadline = BenchmarkClock.monotonicNanoseconds() + 60_000_000_000
        while server.requestCount < count {
            if kill(pid, 0) != 0 || BenchmarkClock.monotonicNanoseconds() > deadline {
                BenchmarkClock.printToStandardError("schedbench http: schedd stopped or stalled")
                return false
            }
            usleep(2_000)
        }
        return true
    }

    /// Starts `argv` with stdin, stdout and stderr on /dev/null and an empty environment but PATH.
    static func spawnQuietly(_ argv: [String]) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in 0...2 {
            posix_spawn_file_actions_addopen(
                &actions,
                descriptor,
                "/dev/null",
                descriptor == 0 ? O_RDONLY : O_WRONLY,
                0
            )
        }
        var pid: pid_t = 0
        let arguments = argv.map { strdup($0) } + [nil]
        let environment = [strdup("PATH=/usr/bin:/bin"), nil]
        defer {
            for pointer in arguments + environment { free(pointer) }
        }
        let status = posix_spawn(&pid, argv[0], &actions, nil, arguments, environment)
        precondition(status == 0, "cannot start \(argv[0]): error \(status)")
        return pid
    }

    /// Resident set size of `pid` in bytes (`/proc/<pid>/statm`, second field).
    static func residentBytes(of pid: pid_t) -> Double {
        let fields = readFile("/proc/\(pid)/statm").split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// User + system CPU time of `pid` in clock ticks (`/proc/<pid>/stat`, fields 14 and 15).
    static func cpuTicks(of pid: pid_t) -> Int {
        let stat = readFile("/proc/\(pid)/stat")
        guard let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return 0 }
        return user + system
    }

    static func readFile(_ path: String) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
    }

    static func writeFile(_ path: String, _ text: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        precondition(descriptor >= 0, "cannot write \(path)")
        defer { close(descriptor) }
        var bytes = Array(text.utf8)
        let written = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress, $0.count) }
        precondition(written == bytes.count, "short write to \(path)")
    }

    // MARK: - One probe

    /// What one check costs in a probe process: 200 runs one after another, each checking `url`,
    /// timed on the wall clock and in the children's CPU time (`getrusage(RUSAGE_CHILDREN)`). Run
    /// for both probes with the same plain-HTTP URL, this is the price of loading Foundation and
    /// URLSession, which the plain probe avoids.
    static func probeCostCase(program: String, url: String, _ reporter: Reporter) {
        let runs = 200
        let name = (program.split(separator: "/").last.map(String.init) ?? program) + ", http URL"
        var before = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &before)
        let begin = BenchmarkClock.monotonicNanoseconds()
        for _ in 0..<runs {
            let pid = spawnQuietly([program, "--url", url, "--expect-body", "ok", "--timeout-ms", "10000"])
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            precondition(status == 0, "\(program) failed its check (status \(status))")
        }
        let wall = Double(BenchmarkClock.monotonicNanoseconds() - begin) / 1e6 / Double(runs)
        var after = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &after)
        func microseconds(_ time: timeval) -> Double { Double(time.tv_sec) * 1e6 + Double(time.tv_usec) }
        let cpu =
            (microseconds(after.ru_utime) + microseconds(after.ru_stime) - microseconds(before.ru_utime)
                - microseconds(before.ru_stime)) / 1000 / Double(runs)
        reporter.report(bench: "http", case: name, metric: "wall", value: wall, unit: "ms/check")
        reporter.report(bench: "http", case: name, metric: "cpu", value: cpu, unit: "ms/check")
        reporter.report(bench: "http", case: name, metric: "max rss", value: Double(after.ru_maxrss), unit: "KiB")
    }

    // MARK: - Runner

    /// Keeps `concurrency` probes running until `checkCount` have finished.
    static func runnerCase(launcher: HTTPProbeLauncher, check: HTTPCheck, concurrency: Int, _ reporter: Reporter) {
        let name = "runner, \(concurrency) in flight"
        guard let loop = try? EventLoop() else { preconditionFailure("cannot create the event loop") }
        let runner = ProcessRunner(loop: loop)
        let jobSpec = ProcessSpec(program: .arguments(["/bin/true"]), environment: ["PATH=/usr/bin:/bin"])
        let spec = launcher.probeSpec(from: jobSpec, check: check)
        var started = 0
        var finished = 0
        var failed = 0
        func startOne() {
            started += 1
            do {
                _ = try launcher.start(spec, on: runner) { _, report in
                    finished += 1
                    if report?.isOK != true { failed += 1 }
                    if started < checkCount {
                        startOne()
                    } else if finished == checkCount {
                        loop.stop()
                    }
                }
            } catch {
                preconditionFailure("cannot start the probe: \(error)")
            }
        }
        let residentBefore = BenchmarkClock.residentBytes() ?? 0
        let begin = BenchmarkClock.monotonicNanoseconds()
        for _ in 0..<concurrency { startOne() }
        do { try loop.run() } catch { preconditionFailure("event loop failed: \(error)") }
        let seconds = Double(BenchmarkClock.monotonicNanoseconds() - begin) / 1e9
        let residentAfter = BenchmarkClock.residentBytes() ?? 0
        if failed > 0 { BenchmarkClock.printToStandardError("schedbench http: \(failed) checks failed") }
        reporter.report(bench: "http", case: name, metric: "checks/s", value: Double(checkCount) / seconds, unit: "1/s")
        reporter.report(
            bench: "http",
            case: name,
            metric: "rss before",
            value: Double(residentBefore) / 1024,
            unit: "KiB"
        )
        reporter.report(
            bench: "http",
            case: name,
            metric: "rss after",
            value: Double(residentAfter) / 1024,
            unit: "KiB"
        )
    }
}

extension String {
    /// `self` with `suffix` at its end replaced by `replacement`.
    fileprivate func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : self
    }
}
