import SchedCore
import Testing

@Suite struct HTTPRequestMessageTests {
    static func message(_ request: HTTPProbeRequest) throws -> String {
        String(decoding: request.http11Message(for: try HTTPURL(parsing: request.url)), as: UTF8.self)
    }

    @Test("a GET carries Host, User-Agent, Accept and Connection: close")
    func get() throws {
        #expect(
            try Self.message(HTTPProbeRequest(url: "http://127.0.0.1:8080/health?full=1"))
                == "GET /health?full=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: schedd-http-probe\r\n"
                + "Accept: */*\r\nConnection: close\r\n\r\n"
        )
    }

    @Test("the check's headers replace the defaults; the length is always the probe's own")
    func headersAndBody() throws {
        let request = HTTPProbeRequest(
            url: "http://example.com/hook",
            method: "POST",
            headers: [
                HTTPHeader(name: "accept", value: "application/json"),
                HTTPHeader(name: "Content-Length", value: "999"),
                HTTPHeader(name: "X-Token", value: "t"),
            ],
            body: "caf\u{e9}"
        )
        #expect(
            try Self.message(request)
                == "POST /hook HTTP/1.1\r\nHost: example.com\r\nUser-Agent: schedd-http-probe\r\n"
                + "Connection: close\r\naccept: application/json\r\nX-Token: t\r\nContent-Length: 5\r\n\r\ncaf\u{e9}"
        )
    }

    @Test("a POST without a body says Content-Length: 0")
    func emptyPost() throws {
        #expect(
            try Self.message(HTTPProbeRequest(url: "http://[::1]/", method: "POST")).hasSuffix(
                "Host: [::1]\r\nUser-Agent: schedd-http-probe\r\nAccept: */*\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
            )
        )
    }
}
