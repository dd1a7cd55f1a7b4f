import Foundation
import Testing

/// The real `schedd-http-probe` (and, for https://, `schedd-https-probe`) against a real server on
/// 127.0.0.1.
@Suite(.hangGuard)
struct HTTPProbeTests {
    /// One probe run: exit status, the decoded report line, and the raw output.
    struct ProbeRun {
        var status: Int32
        var report: [String: Any]
        var stdout: String
        var stderr: String
        var elapsed: Duration

        var ok: Bool? { report["ok"] as? Bool }
        var httpStatus: Int? { report["http_status"] as? Int }
        var kind: String? { report["reason_kind"] as? String }
        var reason: String? { report["reason"] as? String }
        var excerpt: String? { report["body_excerpt"] as? String }
        var latency: Int? { report["latency_ms"] as? Int }
    }

    static func probe(_ arguments: [String], environment: [String: String] = [:]) throws -> ProbeRun {
        let start = ContinuousClock.now
        let result = try run("schedd-http-probe", arguments, environment: environment)
        let elapsed = ContinuousClock.now - start
        let lines = result.stdout.split(separator: "\n")
        try #require(lines.count == 1, "expected one report line, got: \(result.stdout) / \(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        return ProbeRun(
            status: result.status,
            report: try #require(object),
            stdout: result.stdout,
            stderr: result.stderr,
            elapsed: elapsed
        )
    }

    @Test("200 with the expected body passes")
    func ok() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let result = try Self.probe(["--url", server.url("/ok"), "--expect-body", "ok", "--expect-status", "200"])
        #expect(result.status == 0)
        #expect(result.ok == true)
        #expect(result.httpStatus == 200)
        #expect(result.kind == nil && result.reason == nil && result.excerpt == nil)
        #expect((result.latency ?? -1) >= 0)
    }

    @Test("503 fails with the status and the start of the body")
    func serviceUnavailable() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let result = try Self.probe(["--url", server.url("/status/503")])
        #expect(result.status == 1)
        #expect(result.ok == false)
        #expect(result.httpStatus == 503)
        #expect(result.kind == "status")
        #expect(result.reason == "unexpected status 503")
        #expect(result.excerpt == "status 503")
    }

    @Test("a response slower than the timeout fails as a timeout, on time")
    func slow() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let result = try Self.probe(["--url", server.url("/slow/5000"), "--timeout-ms", "400"])
        #expect(result.status == 1)
        #expect(result.kind == "timeout")
        #expect(result.reason == "timed out after 400ms while waiting for the response")
        #expect(result.httpStatus == nil)
        #expect(result.elapsed >= .milliseconds(400))
        #expect(result.elapsed < .seconds(3), "the probe took \(result.elapsed)")
    }

    @Test("a slow response inside the timeout passes")
    func slowButInTime() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let result = try Self.probe(["--url", server.url("/slow/200"), "--timeout-ms", "5000"])
        #expect(result.status == 0)
        #expect((result.latency ?? 0) >= 200)
    }

    @Test("a port where nothing listens is a refused connection")
    func refused() throws {
        let port = try RefusingPort()
        let result = try Self.probe(["--url", "http://127.0.0.1:\(port.port)/health"])
        #expect(result.status == 1)
        #expect(result.kind == "refused")
        #expect(result.reason == "connection refused (127.0.0.1:\(port.port))")
    }

    @Test("an unresolvable name is a DNS failure")
    func dns() throws {
        let result = try Self.probe(["--url", "http://no-such-host.invalid/", "--timeout-ms", "5000"])
        #expect(result.status == 1)
        #expect(result.kind == "dns")
        #expect(result.reason?.hasPrefix("DNS failure: cannot resolve no-such-host.invalid") == true)
    }

    @Test("the expected body text present passes, missing fails with the body kept")
    func expectedBody() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let present = try Self.probe(["--url", server.url("/body/status:healthy"), "--expect-body", "healthy"])
        #expect(present.status == 0 && present.ok == true)
        let missing = try Self.probe(["--url", server.url("/body/status:degraded"), "--expect-body", "healthy"])
        #expect(missing.status == 1)
        #expect(missing.kind == "body_mismatch")
        #expect(missing.reason == #"body mismatch: expected "healthy""#)
        #expect(missing.httpStatus == 200)
        #expect(missing.excerpt == "status:degraded")
    }

    @Test("method, headers and body reach the server; secrets travel in the environment")
    func requestContents() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let result = try Self.probe(
            ["--url", server.url("/echo?from=probe"), "--method", "PUT"],
            environment: [
                "SCHEDD_HTTP_HEADER_1": "Authorization: Bearer s3cret",
                "SCHEDD_HTTP_HEADER_2": "Accept: application/json",
                "SCHEDD_HTTP_BODY": #"{"check": "é"}"#,
            ]
        )
        #expect(result.status == 0)
        let seen = try server.lastRequest()
        #expect(seen.method == "PUT")
        #expect(seen.path == "/echo?from=probe")
        #expect(seen.header("Authorization") == ["Bearer s3cret"])
        #expect(seen.header("Accept") == ["application/json"])
        #expect(seen.header("Host") == ["127.0.0.1:\(server.port)"])
        #expect(seen.header("Content-Length") == ["15"])
        #expect(seen.body == #"{"check": "é"}"#)
    }

    @Test(
        "chunked and close-delimited bodies are read; redirects are judged, not followed",
        arguments: [
            ("/chunked", "ok!", Int32(0), 200),
            ("/close", "closed ok", 0, 200),
            ("/redirect", "ok", 1, 302),
        ]
    )
    func framing(path: String, body: String, status: Int32, httpStatus: Int) throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let result = try Self.probe(["--url", server.url(path), "--expect-body", body])
        #expect(result.status == status)
        #expect(result.httpStatus == httpStatus)
    }

    @Test("a failed check keeps exactly the first KiB of a long body")
    func excerptLimit() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let result = try Self.probe(["--url", server.url("/big/500")])
        #expect(result.excerpt == String(repeating: "x", count: 1024))
    }

    @Test("a server that hangs up without answering is an I/O failure that says so")
    func hangup() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let result = try Self.probe(["--url", server.url("/hangup")])
        #expect(result.status == 1)
        #expect(result.kind == "io")
        #expect(
            result.reason == "invalid response from 127.0.0.1:\(server.port): connection closed without a response"
        )
    }

    @Test("a name with several addresses falls through to the one that answers")
    func localhost() throws {
        // localhost may resolve to ::1 first (not on every machine), where this server does not listen.
        let server = try TestHTTPServer()
        defer { server.stop() }
        let result = try Self.probe(["--url", "http://localhost:\(server.port)/ok", "--timeout-ms", "5000"])
        #expect(result.status == 0, "\(result.stdout)")
    }

    @Test("usage errors exit 2 with a message and no report")
    func usage() throws {
        let result = try run("schedd-http-probe", ["--method", "GET"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "schedd-http-probe: --url is required\n")
    }

    // MARK: - HTTPS (schedd-https-probe)

    @Test("https to a server that does not speak TLS is a TLS error")
    func httpsToPlainServer() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let result = try Self.probe(["--url", server.url("/ok", scheme: "https"), "--timeout-ms", "5000"])
        #expect(result.status == 1)
        #expect(result.kind == "tls", "\(result.stdout)")
        #expect(result.reason?.hasPrefix("TLS error: ") == true)
    }

    @Test(
        "https to a self-signed certificate is a TLS error",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"))
    )
    func httpsSelfSigned() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let openssl = try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-keyout", folder.path + "/key.pem", "-out", folder.path + "/cert.pem",
            ]
        )
        try #require(openssl.status == 0, "openssl failed: \(openssl.stderr)")
        let server = try TestHTTPServer(tls: (folder.path + "/cert.pem", folder.path + "/key.pem"))
        defer { server.stop() }
        let result = try Self.probe(["--url", server.url("/ok", scheme: "https"), "--timeout-ms", "5000"])
        #expect(result.status == 1)
        #expect(result.kind == "tls")
        #expect(result.reason?.contains("certificate") == true, "\(result.reason ?? "")")
    }

    @Test("https to a port where nothing listens is a refused connection")
    func httpsRefused() throws {
        let port = try RefusingPort()
        let result = try Self.probe(["--url", "https://127.0.0.1:\(port.port)/", "--timeout-ms", "5000"])
        #expect(result.status == 1)
        #expect(result.kind == "refused")
        #expect(result.reason?.hasPrefix("connection refused (127.0.0.1:\(port.port))") == true)
    }
}
