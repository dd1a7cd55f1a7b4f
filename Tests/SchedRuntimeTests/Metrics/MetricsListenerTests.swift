import Foundation
import Glibc
import SchedCore
import Synchronization
import Testing

@testable import SchedRuntime

/// The metrics listener over real 127.0.0.1 sockets: a listener on its own loop thread, blocking clients
/// on the test's thread.
@Suite("Metrics listener", .hangGuard)
struct MetricsListenerTests {
    static let body = "# HELP x An example.\n# TYPE x gauge\nx 1\n"

    /// A listener on port 0 (any free port) with `limits`, rendering `body`.
    static func start(
        limits: MetricsListener.Limits = MetricsListener.Limits(),
        body: @escaping @Sendable () -> String = { MetricsListenerTests.body }
    ) throws -> LoopThread<UInt16> {
        try LoopThread { loop in
            let listener = try MetricsListener(
                loop: loop,
                address: ListenAddress(host: "127.0.0.1", port: 0, family: .ipv4),
                limits: limits,
                render: body
            )
            return (listener.port, { listener.close() })
        }
    }

    static func exchange(_ port: UInt16, _ request: String) throws -> (TestHTTPResponse?, eof: Bool) {
        let client = try TCPTestClient(port: port)
        defer { client.closeConnection() }
        client.send(request)
        let (text, eof) = client.response()
        return (TestHTTPResponse(text), eof)
    }

    @Test("GET /metrics answers 200 with the exposition, its content type and length, then closes")
    func goodScrape() throws {
        let server = try Self.start()
        defer { server.stop() }
        let port = try #require(server.value)
        for request in [
            "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Prometheus/2.53\r\nAccept: */*\r\n\r\n",
            "GET /metrics HTTP/1.0\r\n\r\n",
            "GET /metrics?name[]=x HTTP/1.1\r\nhost: h\r\nContent-Length: 0\r\n\r\n",
        ] {
            let (response, eof) = try Self.exchange(port, request)
            let ok = try #require(response, "no response to \(request)")
            #expect(ok.status == 200)
            #expect(ok.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(ok.headers["content-length"] == String(Self.body.utf8.count))
            #expect(ok.headers["connection"] == "close")
            #expect(ok.body == Self.body)
            #expect(eof)
        }
    }

    @Test("HEAD /metrics sends the headers with the body's length but no body")
    func head() throws {
        let server = try Self.start()
        defer { server.stop() }
        let (response, _) = try Self.exchange(try #require(server.value), "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try #require(response)
        #expect(head.status == 200)
        #expect(head.headers["content-length"] == String(Self.body.utf8.count))
        #expect(head.body == "")
    }

    @Test(
        "other paths are 404, other methods 405 with Allow",
        arguments: [
            ("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 404),
            ("GET /metrics/ HTTP/1.1\r\nHost: x\r\n\r\n", 404),
            ("GET /Metrics HTTP/1.1\r\nHost: x\r\n\r\n", 404),
            ("GET /metricsx HTTP/1.1\r\nHost: x\r\n\r\n", 404),
            ("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405),
            ("DELETE /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 405),
            ("get /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 405),
        ]
    )
    func wrongPathOrMethod(request: String, status: Int) throws {
        let server = try Self.start()
        defer { server.stop() }
        let (response, eof) = try Self.exchange(try #require(server.value), request)
        let answer = try #require(response)
        #expect(answer.status == status)
        #expect(eof)
        if status == 405 { #expect(answer.headers["allow"] == "GET, HEAD") }
        #expect(!answer.body.contains("# TYPE"))
    }

    @Test(
        "malformed requests are 400",
        arguments: [
            "GET /metrics\r\n\r\n",
            "GET metrics HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET  /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /metrics HTTP/1.1\nHost: x\n\n",
            "GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n",
            "GET /metrics HTTP/1.1\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost x\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHo st: x\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: x\u{0}y\r\n\r\n",
            "GET /met\u{7}rics HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
            "GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "\r\n\r\n",
            "GET /metrics HTTP/1.1\rHost: x\r\n\r\n",
        ]
    )
    func malformed(request: String) throws {
        let server = try Self.start()
        defer { server.stop() }
        let (response, eof) = try Self.exchange(try #require(server.value), request)
        #expect(response?.status == 400)
        #expect(eof)
    }

    @Test("an oversized head or too many headers is 400, and the answer arrives intact (no reset)")
    func oversized() throws {
        let server = try Self.start()
        defer { server.stop() }
        let port = try #require(server.value)
        let huge = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 64 * 1024) + "\r\n\r\n"
        let (response, eof) = try Self.exchange(port, huge)
        #expect(response?.status == 400)
        #expect(response?.body.contains("too large") == true)
        #expect(eof)
        let many = "GET /metrics HTTP/1.1\r\nHost: x\r\n" + (0..<40).map { "X-\($0): y\r\n" }.joined() + "\r\n"
        let (manyResponse, _) = try Self.exchange(port, many)
        #expect(manyResponse?.status == 400)
        // 32 headers are fine.
        let fine = "GET /metrics HTTP/1.1\r\nHost: x\r\n" + (0..<31).map { "X-\($0): y\r\n" }.joined() + "\r\n"
        #expect(try Self.exchange(port, fine).0?.status == 200)
    }

    @Test("an idle or trickling client is cut off at the request timeout, measured from accept")
    func slowloris() throws {
        var limits = MetricsListener.Limits()
        limits.requestTimeout = .milliseconds(400)
        let server = try Self.start(limits: limits)
        defer { server.stop() }
        let port = try #require(server.value)

        let idle = try TCPTestClient(port: port)
        defer { idle.closeConnection() }
        let idleStart = ContinuousClock.now
        idle.send("GET /metrics HTTP/1.1\r\n")
        let (idleBytes, idleEOF, _) = idle.readToEnd()
        #expect(idleEOF)
        #expect(idleBytes.isEmpty, "no response to an incomplete request")
        #expect(ContinuousClock.now - idleStart < .seconds(3))

        let trickle = try TCPTestClient(port: port)
        defer { trickle.closeConnection() }
        let start = ContinuousClock.now
        // One byte every 50 ms never extends the deadline.
        for byte in "GET /metrics HTTP/1.1\r\nHost: x\r\n".utf8 {
            trickle.send([byte])
            usleep(50_000)
            if ContinuousClock.now - start > .seconds(2) { break }
        }
        let (bytes, eof, reset) = trickle.readToEnd()
        #expect(eof || reset)
        #expect(bytes.isEmpty)
        #expect(ContinuousClock.now - start < .seconds(3))
        // The listener still serves.
        #expect(try Self.exchange(port, "GET /metrics HTTP/1.0\r\n\r\n").0?.status == 200)
    }

    @Test("connections over the limit are closed at once; the listener recovers when they go")
    func connectionLimit() throws {
        var limits = MetricsListener.Limits()
        limits.maximumConnections = 2
        limits.requestTimeout = .milliseconds(500)
        let server = try Self.start(limits: limits)
        defer { server.stop() }
        let port = try #require(server.value)
        let first = try TCPTestClient(port: port)
        let second = try TCPTestClient(port: port)
        defer {
            first.closeConnection()
            second.closeConnection()
        }
        usleep(100_000)  // both accepted by now
        let third = try TCPTestClient(port: port)
        defer { third.closeConnection() }
        let start = ContinuousClock.now
        let (bytes, eof, reset) = third.readToEnd()
        #expect((eof || reset) && bytes.isEmpty)
        #expect(ContinuousClock.now - start < .milliseconds(400), "closed at once, not at the timeout")
        // The idle two time out; then a scrape works.
        _ = first.readToEnd()
        _ = second.readToEnd()
        #expect(try Self.exchange(port, "GET /metrics HTTP/1.0\r\n\r\n").0?.status == 200)
    }

    @Test("a large exposition to a slow reader is sent completely with non-blocking writes")
    func largeResponseSlowReader() throws {
        let big = String(repeating: "metric_with_a_long_name{job=\"x\"} 12345\n", count: 100_000)
        let calls = Atomic<Int>(0)
        let server = try Self.start(body: {
            calls.add(1, ordering: .relaxed)
            return big
        })
        defer { server.stop() }
        let client = try TCPTestClient(port: try #require(server.value), receiveBuffer: 4096)
        defer { client.closeConnection() }
        client.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(300_000)  // the server fills the socket buffers and must wait for writability
        let (text, eof) = client.response()
        let response = try #require(TestHTTPResponse(text))
        #expect(eof)
        #expect(response.status == 200)
        #expect(response.body.utf8.count == big.utf8.count)
        #expect(response.body == big)
        #expect(calls.load(ordering: .relaxed) == 1)
    }

    @Test("a client that disconnects mid-response does not disturb the listener")
    func clientVanishes() throws {
        let big = String(repeating: "x 1\n", count: 1_000_000)
        let server = try Self.start(body: { big })
        defer { server.stop() }
        let port = try #require(server.value)
        for _ in 0..<3 {
            let client = try TCPTestClient(port: port, receiveBuffer: 4096)
            client.send("GET /metrics HTTP/1.0\r\n\r\n")
            usleep(50_000)
            client.closeConnection()
        }
        let (response, _) = try Self.exchange(port, "HEAD /metrics HTTP/1.0\r\n\r\n")
        #expect(response?.status == 200)
    }

    @Test("an IPv6 address is served too ([::1], V6ONLY)")
    func ipv6() throws {
        let server = try LoopThread { loop in
            let listener = try MetricsListener(
                loop: loop,
                address: ListenAddress(host: "::1", port: 0, family: .ipv6),
                render: { MetricsListenerTests.body }
            )
            return (listener.port, { listener.close() })
        }
        defer { server.stop() }
        let port = try #require(server.value)
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        inet_pton(AF_INET6, "::1", &address.sin6_addr)
        let connected = withUnsafeBytes(of: &address) {
            connect(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count))
        }
        try #require(connected == 0)
        let request = Array("GET /metrics HTTP/1.0\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let count = recv(fd, &buffer, buffer.count, 0), count > 0 { bytes += buffer[..<count] }
        let response = try #require(TestHTTPResponse(String(decoding: bytes, as: UTF8.self)))
        #expect(response.status == 200)
        #expect(response.body == Self.body)
        // V6ONLY: the same port on IPv4 is not this listener.
        #expect(throws: Errno.self) { _ = try TCPTestClient(port: port, timeout: 1) }
    }

    @Test("binding an address in use throws EADDRINUSE")
    func addressInUse() throws {
        let server = try Self.start()
        defer { server.stop() }
        let port = try #require(server.value)
        #expect(throws: Errno(rawValue: EADDRINUSE)) {
            let loop = try EventLoop()
            _ = try MetricsListener(
                loop: loop,
                address: ListenAddress(host: "127.0.0.1", port: port, family: .ipv4),
                render: { "" }
            )
        }
    }
}
