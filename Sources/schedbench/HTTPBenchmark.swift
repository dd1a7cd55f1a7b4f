import SchedCore
import SchedRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// `schedbench http`: HTTP health checks against a local server (`LocalHTTPServer`, 127.0.0.1).
///
/// Runner case: 1,000 checks through `HTTPProbeLauncher` + `ProcessRunner` on one `EventLoop`, the
/// exact path the daemon takes for an `http` job, with 1, 8 and 64 probes in flight. Reports checks
/// per second (wall clock) and this process's resident memory before and after.
enum HTTPBenchmark {
    static let checkCount = 1_000

    static func run(_ reporter: Reporter) {
        let server = LocalHTTPServer()
        let launcher = HTTPProbeLauncher.besideRunningExecutable()
        guard access(launcher.probePath, X_OK) == 0 else {
            BenchmarkClock.printToStandardError("schedbench http: \(launcher.probePath) not found; build it first")
            exit(1)
        }
        let check = HTTPCheck(url: "http://127.0.0.1:\(server.port)/health", expectBody: "ok", timeout: .seconds(10))
        for concurrency in [1, 8, 64] {
            runnerCase(launcher: launcher, check: check, concurrency: concurrency, reporter)
        }
    }

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
            value: Double(residentBefore) / 1_048_576,
            unit: "MiB"
        )
        reporter.report(
            bench: "http",
            case: name,
            metric: "rss after",
            value: Double(residentAfter) / 1_048_576,
            unit: "MiB"
        )
    }
}
