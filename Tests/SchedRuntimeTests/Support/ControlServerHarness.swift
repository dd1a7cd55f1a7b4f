import Dispatch
import Foundation
import SchedCore
import SchedTime
import Synchronization

@testable import SchedRuntime

/// A fake daemon for control-server tests: answers from canned data, on the loop thread.
///
/// - `list`: `jobCount` jobs; `status`: the peer's uid in `version` (so tests see SO_PEERCRED);
///   `history` of job "slow": answered 300 ms later; `run-now --wait`: answered after `waitDelay`;
///   `pause`/`resume` of an unknown id: `unknown_job` with suggestions from `jobIDs`.
final class FakeControlHandler: ControlHandler {
    let loop: EventLoop
    let jobCount: Int
    let waitDelay: Duration
    let seen: RequestLog
    let jobIDs = ["backup", "cleanup", "report"]

    init(loop: EventLoop, jobCount: Int, waitDelay: Duration, seen: RequestLog) {
        self.loop = loop
        self.jobCount = jobCount
        self.waitDelay = waitDelay
        self.seen = seen
    }

    static let epoch = Instant(secondsSinceEpoch: 1_795_834_800)

    static func jobs(_ count: Int) -> [JobInfo] {
        (0..<count).map { (index: Int) -> JobInfo in
            let failing = index % 5 == 0
            let id = "job_\(index)"
            let finished: Instant = epoch + Duration.milliseconds(1500)
            let last = RunInfo(
                runID: RunID(rawValue: UInt64(index)),
                job: id,
                scheduled: epoch,
                started: epoch,
                finished: finished,
                durationMilliseconds: 1500,
                result: failing ? RunResult.failed : RunResult.ok,
                exitCode: failing ? 1 : 0
            )
            let next: Instant = epoch + Duration.seconds(Int64(300 + index))
            let state: JobInfo.State = index % 7 == 0 ? .paused : .scheduled
            return JobInfo(
                id: id,
                trigger: "*/5 * * * *",
                state: state,
                next: next,
                last: last,
                consecutiveFailures: failing ? 1 : 0
            )
        }
    }

    func handle(_ request: ControlRequest, from peer: PeerCredentials, reply: @escaping (ControlResponse) -> Void) {
        seen.append(request, peer)
        switch request {
        case .list:
            reply(.jobs(Self.jobs(jobCount)))
        case .status:
            reply(
                .status(
                    StatusInfo(
                        version: "uid=\(peer.userID)",
                        processID: peer.processID.rawValue,
                        uptimeSeconds: 1,
                        configPath: "/etc/schedd/schedules.toml",
                        jobs: jobCount,
                        running: 0
                    )
                )
            )
        case .history(let job, _):
            let runs = [RunInfo(runID: RunID(rawValue: 1), job: job, scheduled: Self.epoch, result: .ok)]
            if job == "slow" {
                loop.scheduleTimer(after: .milliseconds(300)) { reply(.runs(runs)) }
            } else {
                reply(.runs(runs))
            }
        case .runNow(let job, let wait, _):
            guard jobIDs.contains(job) else {
                reply(.failure(ControlError.unknownJob(job, knownIDs: jobIDs)))
                return
            }
            guard wait else {
                reply(.runStarted(job: job, runID: RunID(rawValue: 7)))
                return
            }
            loop.scheduleTimer(after: waitDelay) {
                reply(
                    .runFinished(
                        RunInfo(
                            runID: RunID(rawValue: 7),
                            job: job,
                            scheduled: Self.epoch,
                            result: .failed,
                            exitCode: 3
                        )
                    )
                )
                reply(.metrics("a second reply must be ignored"))
            }
        case .pause(let job), .resume(let job):
            guard jobIDs.contains(job) else {
                reply(.failure(ControlError.unknownJob(job, knownIDs: jobIDs)))
                return
            }
            reply(.job(JobInfo(id: job, trigger: "@daily", state: request.command == .pause ? .paused : .scheduled)))
        case .reload:
            reply(.reloaded(ReloadSummary(jobs: jobCount)))
        case .metrics:
            reply(.metrics("schedd_jobs{state=\"scheduled\"} \(jobCount)\n"))
        }
    }
}

/// Every request the fake handler saw, with its peer.
final class RequestLog: Sendable {
    private let storage = Mutex<[(ControlRequest, PeerCredentials)]>([])

    func append(_ request: ControlRequest, _ peer: PeerCredentials) {
        storage.withLock { $0.append((request, peer)) }
    }

    var all: [(ControlRequest, PeerCredentials)] { storage.withLock { $0 } }
}

/// A value shared between the test and the server thread.
final class LockedValue<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    func set(_ value: Value) { storage.withLock { $0 = value } }
    var value: Value { storage.withLock { $0 } }
}

/// Runs a `ControlServer` with a `FakeControlHandler` on its own thread until `shutdown()`.
final class ControlServerHarness: Sendable {
    let directory: String
    let socketPath: String
    let seen = RequestLog()
    let logSink = CapturingLogSink()
    private let stopHandle = LockedValue<EventLoop.StopHandle?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    init(
        jobCount: Int = 3,
        waitDelay: Duration = .milliseconds(200),
        authorization: ControlAuthorization = ControlAuthorization(daemonUserID: geteuid()),
        configure: @Sendable (inout ControlServerConfiguration) -> Void = { _ in }
    ) throws {
        directory = try Self.makeTemporaryDirectory()
        socketPath = directory + "/control.sock"
        var configuration = ControlServerConfiguration(socketPath: socketPath)
        configure(&configuration)
        let finalConfiguration = configuration
        let started = DispatchSemaphore(value: 0)
        let startError = LockedValue<(any Error)?>(nil)
        let sink = logSink
        let seen = self.seen
        let stopHandle = self.stopHandle
        let finished = self.finished
        let thread = Thread {
            do {
                let loop = try EventLoop()
                let handler = FakeControlHandler(loop: loop, jobCount: jobCount, waitDelay: waitDelay, seen: seen)
                let server = ControlServer(
                    configuration: finalConfiguration,
                    authorization: authorization,
                    loop: loop,
                    handler: handler,
                    logger: Logger(sink: sink)
                )
                try server.start()
                stopHandle.set(loop.stopHandle)
                started.signal()
                try loop.run()
                server.stop()
            } catch {
                startError.set(error)
                started.signal()
            }
            finished.signal()
        }
        thread.start()
        started.wait()
        if let error = startError.value { throw error }
    }

    /// Stops the loop, waits for the server to close, removes the directory.
    func shutdown() {
        stopHandle.value?.stop()
        finished.wait()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func client() throws -> ControlClient { try ControlClient(socketPath: socketPath) }

    static func makeTemporaryDirectory() throws -> String {
        var template = Array((FileManager.default.temporaryDirectory.path + "/schedd-control-XXXXXX").utf8CString)
        let path = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
        guard let path else { throw Errno.current }
        return String(cString: path)
    }
}

/// A raw client socket for misbehaving-client tests.
struct RawClient {
    let descriptor: FileDescriptor

    init(_ path: String) throws {
        descriptor = try StreamSocket.connect(to: path)
    }

    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { (raw) throws in try descriptor.sendAll(raw) }
    }

    /// Reads until EOF or `timeout`; returns the bytes and whether EOF was seen.
    func readToEnd(timeout: Duration) throws -> (bytes: [UInt8], closed: Bool) {
        var bytes: [UInt8] = []
        let deadline = MonotonicInstant.now() + timeout
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let remaining = deadline - MonotonicInstant.now()
            guard remaining > .zero, try descriptor.waitUntilReadable(timeout: remaining) else { return (bytes, false) }
            let count = try chunk.withUnsafeMutableBytes { (raw) throws in try descriptor.read(into: raw) }
            if count == 0 { return (bytes, true) }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    func close() { descriptor.close() }
}

/// Reads one response line from a `RawClient` (for clients that sent their request by hand).
struct ControlClientReader {
    let client: RawClient

    init(_ client: RawClient) { self.client = client }

    func readLine(timeout: Duration = .seconds(5)) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var byte: [UInt8] = [0]
        while true {
            guard try client.descriptor.waitUntilReadable(timeout: timeout) else { throw Errno(rawValue: ETIMEDOUT) }
            let count = try byte.withUnsafeMutableBytes { (raw) throws in try client.descriptor.read(into: raw) }
            if count == 0 || byte[0] == UInt8(ascii: "\n") { return bytes }
            bytes.append(byte[0])
        }
    }
}
