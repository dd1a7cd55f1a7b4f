import Testing

@testable import SchedRuntime

@Suite("HTTP request head parser")
struct HTTPRequestHeadTests {
    static func parse(_ text: String) -> HTTPRequestHead.ParseResult {
        HTTPRequestHead.parse(Array(text.utf8))
    }

    @Test("a complete head: method, target, path without query, version, headers with OWS trimmed")
    func complete() {
        let result = Self.parse("GET /metrics?a=b HTTP/1.1\r\nHost:  example \r\nAccept:\t*/*\r\n\r\nignored body")
        #expect(
            result
                == .complete(
                    HTTPRequestHead(
                        method: "GET",
                        target: "/metrics?a=b",
                        path: "/metrics",
                        version: "HTTP/1.1",
                        headers: [.init(name: "Host", value: "example"), .init(name: "Accept", value: "*/*")]
                    )
                )
        )
    }

    @Test("prefixes of a valid head are incomplete, byte by byte")
    func incremental() {
        let text = Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        for end in 0..<text.count {
            #expect(HTTPRequestHead.parse(Array(text[..<end])) == .incomplete, "prefix of \(end) bytes")
        }
        if case .complete = HTTPRequestHead.parse(text) {} else { Issue.record("the whole head should parse") }
    }

    @Test("a bad request line is refused as soon as it is complete")
    func earlyRejection() {
        #expect(Self.parse("GET /metrics HTTP/9\r\n") == .invalid(reason: "unsupported HTTP version"))
    }

    @Test("a head without its end stops at the size limit")
    func sizeLimit() {
        let text = "GET /metrics HTTP/1.1\r\nX: " + String(repeating: "a", count: HTTPRequestHead.maximumHeadBytes)
        #expect(Self.parse(text) == .invalid(reason: "request head too large"))
    }
}
