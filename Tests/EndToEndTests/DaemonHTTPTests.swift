import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real schedd running `http` jobs through the real probe against a real server on 127.0.0.1.
@Suite(.hangGuard)
struct DaemonHTTPTests {
    @Test("the example check_external_services job, pointed at a local server, passes and sends its headers")
    func exampleJob() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }

        // The example as shipped, with its URL pointed at the local server, a first check one second
        // after start instead of five minutes, no jitter, and the production paths swapped.
        var config = try String(contentsOfFile: Binaries.packageRoot + "/schedules.toml", encoding: .utf8)
        let url = "\"https://api.example.com/health\""
        try #require(config.contains(url) && config.contains("every = \"5m\"") && config.contains("jitter = \"15s\""))
        config = config.replacingOccurrences(of: url, with: "\"\(server.url("/echo"))\"")
            .replacingOccurrences(of: "every = \"5m\"", with: "every = \"1s\"")
            .replacingOccurrences(of: "jitter = \"15s\"\n", with: "")
            .replacingOccurrences(of: "\"/var/lib/schedd\"", with: "\"\(folder.path)/state\"")
            .replacingOccurrences(of: "\"/run/schedd/control.sock\"", with: "\"\(folder.path)/control.sock\"")
            .replacingOccurrences(of: "socket_group = \"schedd\"\n", with: "")
        let daemon = try DaemonProcess(folder: folder, config: config)
        #expect(
            daemon.waitForLog("event=run_finished", "job=check_external_services", "result=ok", timeout: 10),
            "\(daemon.log)"
        )
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)

        let line = try #require(daemon.lines(containing: "event=run_finished", "job=check_external_services").first)
        #expect(line.contains("http_status=200"))
        #expect(line.contains("latency_ms="))
        #expect(line.contains("exit=0"))
        let seen = try server.lastRequest()
        #expect(seen.method == "GET")
        #expect(seen.header("Accept") == ["application/json"])
        #expect(seen.header("User-Agent") == ["schedd-http-probe"])
    }

    @Test(
        "failed checks are recorded with the precise reason and the HTTP status",
        arguments: [
            ("/status/503", "", "reason=\"unexpected status 503\" http_status=503"),
            ("/body/degraded", ", expect_body = \"healthy\"", "reason=\"body mismatch: expected \\\"healthy\\\"\""),
            ("/slow/5000", ", timeout = \"500ms\"", "reason=\"timed out after 500ms while waiting for the response\""),
        ]
    )
    func failures(path: String, options: String, expected: String) throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.check]
                at = "\(rfc3339(secondsFromNow: 2))"
                http = { url = "\(server.url(path))"\(options) }
                """
        )
        #expect(daemon.waitForLog("event=run_finished", "job=check", timeout: 10), "\(daemon.log)")
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
        let line = try #require(daemon.lines(containing: "event=run_finished", "job=check").first)
        #expect(line.contains("result=failed"), "\(line)")
        #expect(line.contains(expected), "\(line)")
    }

    @Test("a refused connection fails the run; a job timeout shorter than the check's stops it like any job")
    func refusedAndJobTimeout() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let port = try RefusingPort()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let at = rfc3339(secondsFromNow: 2)
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.refused]
                at = "\(at)"
                http = { url = "http://127.0.0.1:\(port.port)/health" }
                [jobs.slow]
                at = "\(at)"
                timeout = "500ms"
                http = { url = "\(server.url("/slow/5000"))", timeout = "10s" }
                """
        )
        #expect(daemon.waitForLog("event=run_finished", "job=refused", timeout: 10), "\(daemon.log)")
        #expect(daemon.waitForLog("event=run_finished", "job=slow", timeout: 10), "\(daemon.log)")
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
        let refused = try #require(daemon.lines(containing: "event=run_finished", "job=refused").first)
        #expect(refused.contains("result=failed"))
        #expect(refused.contains("reason=\"connection refused (127.0.0.1:\(port.port))\""), "\(refused)")
        let slow = try #require(daemon.lines(containing: "event=run_finished", "job=slow").first)
        #expect(slow.contains("result=timeout"), "\(slow)")
    }

    @Test("a check still running when its job fires again is skipped, as for any job")
    func overlap() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.slow]
                every = "1s"
                http = { url = "\(server.url("/slow/2500"))", timeout = "10s" }
                """
        )
        #expect(daemon.waitForLog("event=run_skipped", "job=slow", timeout: 10), "\(daemon.log)")
        #expect(daemon.waitForLog("event=run_finished", "job=slow", "result=ok", "http_status=200", timeout: 10))
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 10) == 0)
    }

    @Test("retries back off exactly against a server that fails twice, then succeed")
    func retriesWithBackoff() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.flaky]
                at = "\(rfc3339(secondsFromNow: 2))"
                http = { url = "\(server.url("/flaky/retry/2"))", expect_body = "ok" }
                retry = { attempts = 3, backoff = "1s", factor = 2.0, max_delay = "1m" }
                """
        )
        #expect(
            daemon.waitForLog("event=run_finished", "job=flaky", "result=ok", timeout: 15),
            "\(daemon.log)"
        )
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)

        let finished = daemon.lines(containing: "event=run_finished", "job=flaky")
        #expect(finished.count == 3)
        #expect(finished.count == 3 && finished[0].contains("attempt=1") && finished[0].contains("http_status=503"))
        #expect(finished.count == 3 && finished[1].contains("attempt=2") && finished[1].contains("result=failed"))
        #expect(finished.count == 3 && finished[2].contains("attempt=3") && finished[2].contains("http_status=200"))

        // The server saw three requests: the retries waited 1 s, then 1 s × 2 (plus a probe start each).
        let hits = server.hits("retry")
        try #require(hits.count == 3, "hits: \(hits)")
        let gaps = [hits[1] - hits[0], hits[2] - hits[1]]
        #expect(gaps[0] >= 0.98 && gaps[0] < 1.6, "gaps: \(gaps)")
        #expect(gaps[1] >= 1.98 && gaps[1] < 2.6, "gaps: \(gaps)")
    }
}
