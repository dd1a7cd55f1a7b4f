import SchedCore
import SchedRuntime
import SchedTime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `schedbench control`: the control socket under load, against a `ControlServer` on its own event
/// loop thread with a handler that answers from 10,000 prepared jobs (the daemon's own cost of
/// building the list is not included; encoding and transport are).
///
/// Cases:
/// - `list` round trip in process (request → 10,000 decoded `JobInfo`s), and its parts: encoding the
///   response line, decoding it;
/// - the real `schedctl list` (and `list --json`) binary, output to /dev/null: what an operator waits
///   for, process start included;
/// - `status` requests per second from 4 client threads, each on a persistent connection, and with
///   a new connection per request.
enum ControlBenchmark {
    static let jobCount = 10_000

    static func run(_ reporter: Reporter) {
        let jobs = makeJobs(jobCount)
        let server = BenchmarkServer(jobs: jobs)
        defer { server.shutdown() }

        listRoundTrip(server.socketPath, reporter)
        encodeAndDecode(jobs, reporter)
        schedctlList(server.socketPath, reporter)
        statusThroughput(server.socketPath, clients: 4, persistent: true, reporter)
        statusThroughput(server.socketPath, clients: 4, persistent: false, reporter)
    }

    static func makeJobs(_ count: Int) -> [JobInfo] {
        let epoch = Instant(secondsSinceEpoch: 1_795_834_800)
        return (0..<count).map { index in
            let id = "job_\(index)"
            let last = RunInfo(
                runID: RunID(rawValue: UInt64(index)),
                job: id,
                scheduled: epoch,
                started: epoch + .milliseconds(3),
                finished: epoch + .milliseconds(1503),
                durationMilliseconds: 1500,
                result: index % 10 == 0 ? .failed : .ok,
                exitCode: index % 10 == 0 ? 1 : 0
            )
            return JobInfo(
                id: id,
                trigger: "*/5 * * * *",
                state: .scheduled,
                next: epoch + .seconds(Int64(300 + index % 300)),
                last: last
            )
        }
    }

    // MARK: - Cases

    static func listRoundTrip(_ path: String, _ reporter: Reporter) {
        guard let client = try? ControlClient(socketPath: path) else { fail("cannot connect to \(path)") }
        var samples: [Double] = []
        for iteration in 0..<25 {
            let begin = BenchmarkClock.monotonicNanoseconds()
            guard case .jobs(let jobs)? = try? client.send(.list), jobs.count == jobCount else {
                fail("list did not return \(jobCount) jobs")
            }
            if iteration >= 5 { samples.append(Double(BenchmarkClock.monotonicNanoseconds() - begin) / 1e6) }
        }
        reporter.report(
            bench: "control",
            case: "list round trip, 10k jobs",
            metric: "median",
            value: median(samples),
            unit: "ms"
        )
    }

    static func encodeAndDecode(_ jobs: [JobInfo], _ reporter: Reporter) {
        var encodeSamples: [Double] = []
        var decodeSamples: [Double] = []
        var treeSamples: [Double] = []
        var size = 0
        for iteration in 0..<25 {
            let begin = BenchmarkClock.monotonicNanoseconds()
            let line = ControlResponse.jobs(jobs).encodedLine()
            let encoded = BenchmarkClock.monotonicNanoseconds()
            guard case .jobs(let decoded)? = try? ControlProtocol.decodeResponse(line.dropLast()),
                decoded.count == jobs.count
            else { fail("decoding failed") }
            let end = BenchmarkClock.monotonicNanoseconds()
            guard let tree = try? JSONParser().parse(line.dropLast()), (try? ControlResponse(json: tree)) != nil else {
                fail("parsing failed")
            }
            let parsed = BenchmarkClock.monotonicNanoseconds()
            size = line.count
            if iteration >= 5 {
                encodeSamples.append(Double(encoded - begin) / 1e6)
                decodeSamples.append(Double(end - encoded) / 1e6)
                treeSamples.append(Double(parsed - end) / 1e6)
            }
        }
        reporter.report(
            bench: "control",
            case: "list response size, 10k jobs",
            metric: "bytes",
            value: Double(size),
            unit: "B"
        )
        reporter.report(
            bench: "control",
            case: "encode list response, 10k jobs",
            metric: "median",
            value: median(encodeSamples),
            unit: "ms"
        )
        reporter.report(
            bench: "control",
            case: "decode via JSON tree (old path)",
            metric: "median",
            value: median(treeSamples),
            unit: "ms"
        )
        reporter.report(
            bench: "control",
            case: "decode list response, 10k jobs",
            metric: "median",
            value: median(decodeSamples),
            unit: "ms"
        )
    }

    static func schedctlList(_ path: String, _ reporter: Reporter) {
        let schedctl = BenchmarkProcess.besideRunningExecutable("schedctl")
        guard access(schedctl, X_OK) == 0 else {
            BenchmarkClock.printToStandardError(
                "schedbench control: \(schedctl) not found; skipping the schedctl cases"
            )
            return
        }
        for (name, extra) in [("schedctl list (table)", [String]()), ("schedctl list --json", ["--json"])] {
            var samples: [Double] = []
            for iteration in 0..<15 {
                let begin = BenchmarkClock.monotonicNanoseconds()
                let status = BenchmarkProcess.run(
                    schedctl,
                    ["list", "--socket", path] + extra,
                    environment: ["NO_COLOR=1"]
                )
                guard status == 0 else { fail("\(name) exited with \(status)") }
                if iteration >= 3 { samples.append(Double(BenchmarkClock.monotonicNanoseconds() - begin) / 1e6) }
            }
            reporter.report(
                bench: "control",
                case: "\(name), 10k jobs",
                metric: "median",
                value: median(samples),
                unit: "ms"
            )
        }
        var statusSamples: [Double] = []
        for iteration in 0..<15 {
            let begin = BenchmarkClock.monotonicNanoseconds()
            _ = BenchmarkProcess.run(schedctl, ["status", "--socket", path], environment: [])
            if iteration >= 3 { statusSamples.append(Double(BenchmarkClock.monotonicNanoseconds() - begin) / 1e6) }
        }
        reporter.report(
            bench: "control",
            case: "schedctl status (process)",
            metric: "median",
            value: median(statusSamples),
            unit: "ms"
        )
    }

    static func statusThroughput(_ path: String, clients: Int, persistent: Bool, _ reporter: Reporter) {
        let duration: Int64 = 2_000_000_000
        let completed = Atomic<Int>(0)
        let failures = Atomic<Int>(0)
        let start = BenchmarkClock.monotonicNanoseconds()
        let threads = (0..<clients).map { _ in
            BenchmarkThread.start {
                var client = persistent ? try? ControlClient(socketPath: path) : nil
                while BenchmarkClock.monotonicNanoseconds() - start < duration {
                    if !persistent { client = try? ControlClient(socketPath: path) }
                    guard let client, case .status? = try? client.send(.status) else {
                        failures.add(1, ordering: .relaxed)
                        continue
                    }
                    completed.add(1, ordering: .relaxed)
                }
            }
        }
        for thread in threads { thread.join() }
        let seconds = Double(BenchmarkClock.monotonicNanoseconds() - start) / 1e9
        if failures.load(ordering: .relaxed) > 0 {
            BenchmarkClock.printToStandardError(
                "schedbench control: \(failures.load(ordering: .relaxed)) failed requests"
            )
        }
        let name = "status, \(clients) clients, \(persistent ? "persistent connections" : "connect per request")"
        reporter.report(
            bench: "control",
            case: name,
            metric: "throughput",
            value: Double(completed.load(ordering: .relaxed)) / seconds,
            unit: "req/s"
        )
    }

    static func median(_ samples: [Double]) -> Double {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func fail(_ message: String) -> Never {
        BenchmarkClock.printToStandardError("schedbench control: \(message)")
        exit(1)
    }
}

/// The control server on its own event loop thread, answering from prepared data.
final class BenchmarkServer: Sendable {
    let socketPath: String
    private let directory: String
    private let stopHandle = StopHandleBox()
    private let thread: BenchmarkThread

    init(jobs: [JobInfo]) {
        var template = Array("/tmp/schedbench-control-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            ControlBenchmark.fail("mkdtemp failed")
        }
        directory = String(cString: made)
        let path = directory + "/control.sock"
        socketPath = path
        let ready = Atomic<Int>(0)
        let handleBox = stopHandle
        thread = BenchmarkThread.start { [handleBox] in
            do {
                let loop = try EventLoop()
                let server = ControlServer(
                    configuration: ControlServerConfiguration(socketPath: path),
                    authorization: ControlAuthorization(daemonUserID: geteuid()),
                    loop: loop,
                    handler: PreparedHandler(jobs: jobs),
                    logger: Logger(minimumLevel: .warning)
                )
                try server.start()
                handleBox.value.withLock { $0 = loop.stopHandle }
                ready.store(1, ordering: .releasing)
                try loop.run()
                server.stop()
            } catch {
                ControlBenchmark.fail("server: \(error)")
            }
        }
        while ready.load(ordering: .acquiring) == 0 { usleep(1000) }
    }

    func shutdown() {
        stopHandle.value.withLock { $0?.stop() }
        thread.join()
        rmdir(directory)
    }
}

/// The server loop's stop handle, shared with the thread that runs it.
final class StopHandleBox: Sendable {
    let value = Mutex<EventLoop.StopHandle?>(nil)
}

/// Answers `list` and `status` from prepared values; everything else with an error.
private final class PreparedHandler: ControlHandler {
    let jobs: [JobInfo]
    let status: StatusInfo

    init(jobs: [JobInfo]) {
        self.jobs = jobs
        status = StatusInfo(
            version: "bench",
            processID: getpid(),
            uptimeSeconds: 1,
            configPath: "/etc/schedd/schedules.toml",
            jobs: jobs.count,
            running: 0,
            next: jobs.first?.next,
            nextJob: jobs.first?.id
        )
    }

    func handle(_ request: ControlRequest, from peer: PeerCredentials, reply: @escaping (ControlResponse) -> Void) {
        switch request {
        case .list: reply(.jobs(jobs))
        case .status: reply(.status(status))
        default: reply(.failure(ControlError(code: .failed, message: "not in the benchmark")))
        }
    }
}
