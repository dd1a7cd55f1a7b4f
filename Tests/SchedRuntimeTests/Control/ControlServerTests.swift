import Dispatch
import Foundation
import SchedCore
import SchedTime
import Testing

@testable import SchedRuntime

@Suite("ControlServer over a real Unix socket", .serialized, .hangGuard)
struct ControlServerTests {
    @Test("answers status and passes the caller's SO_PEERCRED credentials to the handler")
    func statusAndPeerCredentials() throws {
        let harness = try ControlServerHarness()
        defer { harness.shutdown() }
        let response = try harness.client().send(.status)
        guard case .status(let status) = response else {
            Issue.record("unexpected \(response)")
            return
        }
        #expect(status.version == "uid=\(geteuid())")
        #expect(status.processID == getpid())
        let peers = harness.seen.all.map(\.1)
        #expect(peers.first?.userID == geteuid())
        #expect(peers.first?.groupID == getegid())
    }

    @Test("creates the socket with mode 0660; stop removes it")
    func socketFile() throws {
        let harness = try ControlServerHarness()
        var info = stat()
        #expect(lstat(harness.socketPath, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o777 == 0o660)
        harness.shutdown()
        #expect(lstat(harness.socketPath, &info) != 0)
    }

    @Test("a stale socket file is replaced; a live one is an error; a non-socket is left alone")
    func staleAndLiveSockets() throws {
        let harness = try ControlServerHarness()
        defer { harness.shutdown() }
        // Live: a second server on the same path must refuse.
        #expect {
            try startSecondServer(at: harness.socketPath)
        } throws: { error in
            (error as? ControlServerError)?.code == .alreadyListening
        }
        #expect(try harness.client().send(.status).kind == "status")

        // Stale: a socket file that nobody listens on.
        let stalePath = harness.directory + "/stale.sock"
        let orphan = try StreamSocket.listen(at: stalePath)
        orphan.close()
        try startSecondServer(at: stalePath)

        // Not a socket: refused, file kept.
        let filePath = harness.directory + "/file.sock"
        #expect(FileManager.default.createFile(atPath: filePath, contents: Data("keep".utf8)))
        #expect {
            try startSecondServer(at: filePath)
        } throws: { error in
            (error as? ControlServerError)?.code == .notASocket
        }
        #expect(FileManager.default.contents(atPath: filePath) == Data("keep".utf8))
    }

    /// Starts and stops a server on `path` on this thread (the loop never runs).
    private func startSecondServer(at path: String) throws {
        let loop = try EventLoop()
        let server = ControlServer(
            configuration: ControlServerConfiguration(socketPath: path),
            authorization: ControlAuthorization(daemonUserID: geteuid()),
            loop: loop,
            handler: FakeControlHandler(loop: loop, jobCount: 1, waitDelay: .zero, seen: RequestLog()),
            logger: Logger(sink: CapturingLogSink())
        )
        try server.start()
        server.stop()
    }

    @Test("garbage and unknown commands get error responses and the connection stays usable")
    func garbage() throws {
        let harness = try ControlServerHarness()
        defer { harness.shutdown() }
        let client = try harness.client()
        for (line, code) in [
            ("this is not json", ControlError.Code.badRequest),
            (#"{"command":"launch-missiles"}"#, .unknownCommand),
            (#"{"version":99,"command":"list"}"#, .unsupportedVersion),
            (#"{"command":"pause"}"#, .badRequest),
            ("\u{00}\u{01}\u{02}", .badRequest),
        ] {
            let answer = try client.exchange(Array((line + "\n").utf8))
            let response = try ControlProtocol.decodeResponse(answer)
            guard case .failure(let error) = response else {
                Issue.record("\(line): expected an error, got \(response)")
                continue
            }
            #expect(error.code == code, "\(line)")
        }
        #expect(try client.send(.status).kind == "status")
        #expect(harness.seen.all.count == 1)
    }

    @Test("several requests in one write are answered in order")
    func pipelined() throws {
        let harness = try ControlServerHarness()
        defer { harness.shutdown() }
        let client = try harness.client()
        let lines = [ControlRequest.status, .metrics, .history(job: "slow", limit: 1), .list]
            .map { $0.serialized() + "\n" }.joined()
        let first = try client.exchange(Array(lines.utf8))
        #expect(try ControlProtocol.decodeResponse(first).kind == "status")
        #expect(try ControlProtocol.decodeResponse(client.readLine()).kind == "metrics")
        #expect(try ControlProtocol.decodeResponse(client.readLine()).kind == "runs")
        #expect(try ControlProtocol.decodeResponse(client.readLine()).kind == "jobs")
    }

    @Test("an oversized request gets request_too_large and the connection is closed")
    func oversized() throws {
        let harness = try ControlServerHarness()
        defer { harness.shutdown() }
        let raw = try RawClient(harness.socketPath)
        defer { raw.close() }
        try raw.write([UInt8](repeating: UInt8(ascii: "x"), count: 70 * 1024))
        let (bytes, closed) = try raw.readToEnd(timeout: .seconds(5))
        #expect(closed)
        let line = bytes.split(separator: UInt8(ascii: "\n")).first ?? []
        guard case .failure(let error) = try ControlProtocol.decodeResponse(line) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .requestTooLarge)
        #expect(try harness.client().send(.status).kind == "status")
    }

    @Test("a half-sent request and a silent client are closed after the idle timeout")
    func idleTimeout() throws {
        let harness = try ControlServerHarness { $0.idleTimeout = .milliseconds(200) }
        defer { harness.shutdown() }
        let halfSent = try RawClient(harness.socketPath)
        defer { halfSent.close() }
        try halfSent.write(#"{"command":"sta"#)
        let silent = try RawClient(harness.socketPath)
        defer { silent.close() }
        let started = MonotonicInstant.now()
        #expect(try halfSent.readToEnd(timeout: .seconds(5)).closed)
        #expect(try silent.readToEnd(timeout: .seconds(5)).closed)
        #expect(MonotonicInstant.now() - started >= .milliseconds(150))
        #expect(try harness.client().send(.status).kind == "status")
    }

    @Test("waiting for the handler's own answer is not idleness")
    func slowHandlerIsNotIdle() throws {
        let harness = try ControlServerHarness(waitDelay: .milliseconds(500)) { $0.idleTimeout = .milliseconds(150) }
        defer { harness.shutdown() }
        let response = try harness.client().send(.runNow(job: "backup", wait: true, force: false))
        guard case .runFinished(let run) = response else {
            Issue.record("unexpected \(response)")
            return
        }
        #expect(run.exitCode == 3)
    }

    @Test("asynchronous replies do not hold up other clients, and a second reply is ignored")
    func asynchronousReplies() throws {
        let harness = try ControlServerHarness(waitDelay: .milliseconds(400))
        defer { harness.shutdown() }
        let other = try harness.client()
        let path = harness.socketPath
        let results = LockedValue<[String]>([])
        let done = DispatchSemaphore(value: 0)
        DispatchQueue(label: "waiter").async {
            var kinds: [String] = []
            if let waiting = try? ControlClient(socketPath: path) {
                kinds.append((try? waiting.send(.runNow(job: "backup", wait: true, force: false)))?.kind ?? "none")
                // The duplicate reply the fake sends must not reach the client as a stray line.
                kinds.append((try? waiting.send(.status))?.kind ?? "none")
            }
            results.set(kinds)
            done.signal()
        }
        Thread.sleep(forTimeInterval: 0.05)
        let started = MonotonicInstant.now()
        #expect(try other.send(.status).kind == "status")
        #expect(MonotonicInstant.now() - started < .milliseconds(200))
        done.wait()
        #expect(results.value == ["run_finished", "status"])
    }

    @Test("a reply for a client that went away is dropped and the server carries on")
    func clientGoneBeforeReply() throws {
        let harness = try ControlServerHarness(waitDelay: .milliseconds(100))
        defer { harness.shutdown() }
        do {
            let raw = try RawClient(harness.socketPath)
            try raw.write(ControlRequest.runNow(job: "backup", wait: true, force: false).serialized() + "\n")
            raw.close()
        }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try harness.client().send(.status).kind == "status")
    }

    @Test("200 clients at once are all answered")
    func manyClients() throws {
        let harness = try ControlServerHarness()
        defer { harness.shutdown() }
        // All connected and all requests sent before any answer is read: 200 open at once.
        let clients = try (0..<200).map { _ in try RawClient(harness.socketPath) }
        defer { for client in clients { client.close() } }
        for client in clients { try client.write(ControlRequest.status.serialized() + "\n") }
        var answered = 0
        for client in clients {
            let control = ControlClientReader(client)
            if let line = try? control.readLine(), (try? ControlProtocol.decodeResponse(line))?.kind == "status" {
                answered += 1
            }
        }
        #expect(answered == 200)
        #expect(harness.seen.all.count == 200)
    }

    @Test("beyond maximumConnections a client is told busy; a slot frees when one leaves")
    func connectionCap() throws {
        let harness = try ControlServerHarness { $0.maximumConnections = 3 }
        defer { harness.shutdown() }
        var held = try (0..<3).map { _ in try harness.client() }
        for client in held { #expect(try client.send(.status).kind == "status") }
        let extra = try RawClient(harness.socketPath)
        let (bytes, closed) = try extra.readToEnd(timeout: .seconds(5))
        extra.close()
        #expect(closed)
        guard case .failure(let error) = try ControlProtocol.decodeResponse(bytes.dropLast()) else {
            Issue.record("expected busy")
            return
        }
        #expect(error.code == .busy)
        held.removeLast()
        Thread.sleep(forTimeInterval: 0.1)
        #expect(try harness.client().send(.status).kind == "status")
    }

    @Test("a slow reader of a large response does not block other clients")
    func slowReader() throws {
        let harness = try ControlServerHarness(jobCount: 5_000)
        defer { harness.shutdown() }
        let slow = try RawClient(harness.socketPath)
        defer { slow.close() }
        try slow.write(ControlRequest.list.serialized() + "\n")
        // Once the first bytes arrive the response is encoded; its megabytes now fill the socket buffer
        // and the rest waits in the server. The loop must still serve others.
        #expect(try slow.descriptor.waitUntilReadable(timeout: .seconds(10)))
        Thread.sleep(forTimeInterval: 0.05)
        let started = MonotonicInstant.now()
        #expect(try harness.client().send(.status).kind == "status")
        #expect(MonotonicInstant.now() - started < .milliseconds(500))
        // Now read the whole response slowly and check it is complete.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.last != UInt8(ascii: "\n") {
            guard try slow.descriptor.waitUntilReadable(timeout: .seconds(5)) else { break }
            let count = try chunk.withUnsafeMutableBytes { (raw) throws in try slow.descriptor.read(into: raw) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        guard case .jobs(let jobs) = try ControlProtocol.decodeResponse(bytes.dropLast()) else {
            Issue.record("expected jobs")
            return
        }
        #expect(jobs.count == 5_000)
        #expect(jobs.last?.id == "job_4999")
    }

    @Test("mutating requests are logged with the caller's uid; read-only ones are not")
    func mutatingRequestsLogged() throws {
        let harness = try ControlServerHarness()
        defer { harness.shutdown() }
        let client = try harness.client()
        _ = try client.send(.list)
        _ = try client.send(.pause(job: "backup"))
        let lines = harness.logSink.lines
        #expect(lines.count == 1)
        #expect(lines.first?.contains("command=pause") == true)
        #expect(lines.first?.contains("job=backup") == true)
        #expect(lines.first?.contains("uid=\(geteuid())") == true)
    }

    @Test("unknown job ids come back with suggestions")
    func unknownJob() throws {
        let harness = try ControlServerHarness()
        defer { harness.shutdown() }
        guard case .failure(let error) = try harness.client().send(.pause(job: "bakup")) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .unknownJob)
        #expect(error.suggestions == ["backup"])
    }

    @Test("a peer the authorization does not allow is refused mutating requests but may read")
    func refusedPeer() throws {
        // Root is always allowed, so the refusal is observed through the policy with a non-root peer.
        let policy = ControlAuthorization(daemonUserID: 999, groupID: 50) { user, group in user == 1001 && group == 50 }
        let peer = { (uid: UInt32, gid: UInt32) in
            PeerCredentials(processID: ProcessID(rawValue: 1), userID: uid, groupID: gid)
        }
        #expect(policy.allowsMutation(by: peer(0, 0)))
        #expect(policy.allowsMutation(by: peer(999, 999)))
        #expect(policy.allowsMutation(by: peer(1000, 50)))  // primary group
        #expect(policy.allowsMutation(by: peer(1001, 1001)))  // supplementary member
        #expect(!policy.allowsMutation(by: peer(1002, 1002)))
        #expect(!ControlAuthorization(daemonUserID: 999).allowsMutation(by: peer(1000, 50)))
    }
}
