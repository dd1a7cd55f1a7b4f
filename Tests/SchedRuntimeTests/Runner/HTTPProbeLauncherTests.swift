import Glibc
import SchedCore
import SchedTime
import Testing

@testable import SchedRuntime

@Suite("HTTPProbeLauncher", .hangGuard)
struct HTTPProbeLauncherTests {
    /// The probe built beside the test bundle (`swift build` puts every product in one folder).
    let launcher = HTTPProbeLauncher.besideRunningExecutable()

    static let jobSpec = ProcessSpec(
        program: .arguments(["/bin/false"]),
        environment: ["PATH=/usr/bin:/bin", "SCHEDD_JOB_ID=check", "SCHEDD_HTTP_HEADER_1=Injected: yes"],
        timeout: nil,
        killGrace: .seconds(2)
    )

    // MARK: - Spec

    @Test("the probe is found beside the running executable")
    func location() {
        #expect(launcher.probePath.hasSuffix("/schedd-http-probe"))
        #expect(access(launcher.probePath, X_OK) == 0, "\(launcher.probePath) is not executable")
    }

    @Test("the spec runs the probe with the request in argv and env, the job's own SCHEDD_HTTP_* removed")
    func spec() {
        let check = HTTPCheck(
            url: "http://127.0.0.1:9/health",
            headers: [HTTPHeader(name: "Authorization", value: "Bearer t")],
            expectStatus: [200],
            timeout: .seconds(5)
        )
        let spec = launcher.probeSpec(from: Self.jobSpec, check: check)
        #expect(
            spec.program
                == .arguments([
                    launcher.probePath, "--url", "http://127.0.0.1:9/health", "--method", "GET", "--timeout-ms", "5000",
                    "--expect-status", "200",
                ])
        )
        #expect(
            spec.environment == [
                "PATH=/usr/bin:/bin", "SCHEDD_JOB_ID=check", "SCHEDD_HTTP_HEADER_1=Authorization: Bearer t",
            ]
        )
        #expect(spec.killGrace == .seconds(2))
        #expect(spec.maxLineLength >= 64 * 1024)
    }

    @Test(
        "the runner's timeout is the job's when stricter, else the request's plus a margin",
        arguments: [
            (Duration?.none, Duration?.none, Duration.seconds(33)),
            (nil, .seconds(5), .seconds(8)),
            (.seconds(10), nil, .seconds(13)),
            (.seconds(10), .seconds(5), .seconds(8)),
            (.seconds(2), .seconds(5), .seconds(2)),
            (.seconds(5), .seconds(5), .seconds(8)),
        ]
    )
    func timeouts(jobTimeout: Duration?, checkTimeout: Duration?, runnerTimeout: Duration) {
        var job = Self.jobSpec
        job.timeout = jobTimeout
        let spec = launcher.probeSpec(from: job, check: HTTPCheck(url: "http://x/", timeout: checkTimeout))
        #expect(spec.timeout == runnerTimeout)
    }

    // MARK: - Outcome

    static let base = RunOutcome(
        termination: .exited(code: 1),
        started: Instant(secondsSinceEpoch: 100),
        finished: Instant(secondsSinceEpoch: 101),
        outputTail: "{\"ok\":false,…}\n"
    )

    @Test("a report sets status, latency, reason and the body excerpt as output tail")
    func outcomeFromReport() {
        let report = ProbeResult(
            failure: .status,
            reason: "unexpected status 503",
            httpStatus: 503,
            latency: .milliseconds(12),
            bodyExcerpt: "down"
        )
        let outcome = HTTPProbeLauncher.runOutcome(Self.base, report: report)
        #expect(outcome.termination == .exited(code: 1))
        #expect(outcome.httpStatus == 503)
        #expect(outcome.latency == .milliseconds(12))
        #expect(outcome.reason == "unexpected status 503")
        #expect(outcome.outputTail == "down")
        #expect(outcome.started == Self.base.started && outcome.finished == Self.base.finished)
    }

    @Test("an exit without a report is a failure that says so; a timeout stays a timeout")
    func outcomeWithoutReport() {
        var clean = Self.base
        clean.termination = .exited(code: 0)
        let missing = HTTPProbeLauncher.runOutcome(clean, report: nil)
        #expect(missing.termination == .exited(code: 1))
        #expect(missing.reason == "the HTTP probe exited with status 0 without a report")
        #expect(missing.outputTail == Self.base.outputTail)
        var timedOut = Self.base
        timedOut.termination = .timedOut(signal: SIGTERM)
        #expect(HTTPProbeLauncher.runOutcome(timedOut, report: nil) == timedOut)
    }

    // MARK: - Real probe, real server

    @Test("200: the run succeeds with status and latency")
    func realOK() throws {
        let run = try runAgainstTestServer(path: "/ok") { HTTPCheck(url: $0, expectBody: "ok") }
        #expect(run.outcome.status == .exited(code: 0))
        #expect(run.report?.isOK == true)
        #expect(run.runOutcome.httpStatus == 200)
        #expect(run.runOutcome.latency != nil)
        #expect(run.runOutcome.reason == nil && run.runOutcome.outputTail == nil)
    }

    @Test("503: the run fails with the reason and the body as output tail")
    func realServiceUnavailable() throws {
        let run = try runAgainstTestServer(path: "/status/503") { HTTPCheck(url: $0) }
        #expect(run.runOutcome.termination == .exited(code: 1))
        #expect(run.runOutcome.httpStatus == 503)
        #expect(run.runOutcome.reason == "unexpected status 503")
        #expect(run.runOutcome.outputTail == "status 503")
    }

    @Test("past the check's timeout the probe reports the timeout itself")
    func realTimeout() throws {
        let run = try runAgainstTestServer(path: "/slow/5000") { HTTPCheck(url: $0, timeout: .milliseconds(300)) }
        #expect(run.outcome.timedOut == false)
        #expect(run.runOutcome.termination == .exited(code: 1))
        #expect(run.runOutcome.reason == "timed out after 300ms while waiting for the response")
    }

    @Test("a job timeout shorter than the check's stops the probe like any job")
    func realJobTimeout() throws {
        let run = try runAgainstTestServer(path: "/slow/5000", jobTimeout: .milliseconds(300)) {
            HTTPCheck(url: $0, timeout: .seconds(10))
        }
        #expect(run.outcome.timedOut)
        #expect(run.report == nil)
        #expect(run.outcome.duration < .seconds(4))
    }

    @Test("a missing probe is a spawn error naming it")
    func missingProbe() throws {
        let loop = try EventLoop()
        let runner = ProcessRunner(loop: loop)
        let launcher = HTTPProbeLauncher(probePath: "/nonexistent/schedd-http-probe")
        let spec = launcher.probeSpec(from: Self.jobSpec, check: HTTPCheck(url: "http://127.0.0.1:9/"))
        let error = #expect(throws: SpawnError.self) {
            _ = try launcher.start(spec, on: runner) { _, _ in }
        }
        #expect(error?.program == "/nonexistent/schedd-http-probe")
    }

    // MARK: - Support

    struct ProbeRun {
        var outcome: ProcessOutcome
        var report: ProbeResult?
        var runOutcome: RunOutcome
    }

    /// Starts the test server under the same runner, runs the check made by `makeCheck` (given the URL
    /// of `path` on it), then stops the server; all on one loop, bounded by a 20 s safety stop.
    func runAgainstTestServer(
        path: String,
        jobTimeout: Duration? = nil,
        makeCheck: @escaping (String) -> HTTPCheck
    ) throws -> ProbeRun {
        var template = [UInt8]("/tmp/schedd-probe-test-XXXXXX".utf8) + [0]
        let folder = try #require(
            template.withUnsafeMutableBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { mkdtemp($0.baseAddress!).map { String(cString: $0) } }
            }
        )
        defer { _ = rmdirRecursively(folder) }
        let loop = try EventLoop()
        let runner = ProcessRunner(loop: loop)
        var result: ProbeRun?
        var failure: String?
        var server: RunningProcess?
        var serverExited = false
        var jobSpec = Self.jobSpec
        jobSpec.timeout = jobTimeout
        let launcher = self.launcher
        server = try runner.start(
            ProcessSpec(
                program: .arguments(["/usr/bin/python3", Self.serverScript, folder]),
                environment: ["PATH=/usr/bin:/bin"],
                killGrace: .milliseconds(200)
            ),
            onOutputLine: { line in
                guard line.stream == .standardOutput, line.text.hasPrefix("PORT "), result == nil else { return }
                let url = "http://127.0.0.1:\(line.text.dropFirst(5))\(path)"
                let spec = launcher.probeSpec(from: jobSpec, check: makeCheck(url))
                do {
                    _ = try launcher.start(spec, on: runner) { outcome, report in
                        let base = RunOutcome(
                            termination: outcome.timedOut
                                ? .timedOut(signal: outcome.signal?.rawValue)
                                : (outcome.exitCode.map { .exited(code: $0) }
                                    ?? .signaled(signal: outcome.signal?.rawValue ?? 0)),
                            started: Instant(secondsSinceEpoch: 0),
                            finished: Instant(secondsSinceEpoch: 1),
                            outputTail: outcome.outputTail
                        )
                        result = ProbeRun(
                            outcome: outcome,
                            report: report,
                            runOutcome: HTTPProbeLauncher.runOutcome(base, report: report)
                        )
                        server?.stop(reason: "test finished")
                    }
                } catch {
                    failure = "\(error)"
                    server?.stop(reason: "test failed")
                }
            },
            onExit: { [unowned loop] _ in
                serverExited = true
                loop.stop()
            }
        )
        let safety = loop.scheduleTimer(after: .seconds(20)) { [unowned loop] in
            server?.stop(reason: "safety stop")
            loop.scheduleTimer(after: .seconds(2)) { loop.stop() }
        }
        try loop.run()
        loop.cancelTimer(safety)
        #expect(serverExited, "the test server did not exit")
        if let failure { Issue.record("probe did not start: \(failure)") }
        return try #require(result, "the probe did not finish")
    }

    static let serverScript: String = {
        // Tests/SchedRuntimeTests/Runner/<this file> → Tests/Support/http_test_server.py
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/Support/http_test_server.py"
    }()

    /// Removes `folder` and the files directly in it (the server writes no subfolders).
    func rmdirRecursively(_ folder: String) -> Bool {
        guard let directory = opendir(folder) else { return false }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { unlink(folder + "/" + name) }
        }
        closedir(directory)
        return rmdir(folder) == 0
    }
}
