import SchedCore
import Testing

@Suite struct HTTPResponseParserTests {
    /// Feeds `text` in pieces of `step` bytes (to exercise every split point), then EOF when `close`.
    static func parse(
        _ text: String,
        method: String = "GET",
        step: Int = 1,
        close: Bool = true,
        bodyLimit: Int = 1024 * 1024
    ) throws -> HTTPResponseParser {
        var parser = HTTPResponseParser(method: method, bodyLimit: bodyLimit)
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if try parser.consume(bytes[index..<min(index + step, bytes.count)]) { return parser }
            index += step
        }
        if close { try parser.finishAtEndOfStream() }
        return parser
    }

    @Test("Content-Length frames the body, whatever the read sizes", arguments: [1, 2, 7, 1000])
    func contentLength(step: Int) throws {
        let parser = try Self.parse(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX: y\r\n\r\nhello EXTRA",
            step: step,
            close: false
        )
        #expect(parser.isComplete)
        #expect(parser.status == 200)
        #expect(parser.body == Array("hello".utf8))
    }

    @Test("chunked bodies are decoded, with extensions and trailers", arguments: [1, 3, 1000])
    func chunked(step: Int) throws {
        let parser = try Self.parse(
            "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + "4;ext=1\r\nmain\r\nB\r\ntenance: ok\r\n0\r\nTrailer: 1\r\n\r\n",
            step: step,
            close: false
        )
        #expect(parser.isComplete)
        #expect(parser.status == 503)
        #expect(String(decoding: parser.body, as: UTF8.self) == "maintenance: ok")
    }

    @Test("without a length the body runs until the connection closes")
    func untilClose() throws {
        var parser = HTTPResponseParser(method: "GET")
        #expect(try !parser.consume(Array("HTTP/1.0 200 OK\nServer: old\n\nbody to the end".utf8)))
        #expect(parser.hasHead && !parser.isComplete)
        try parser.finishAtEndOfStream()
        #expect(parser.isComplete)
        #expect(parser.body == Array("body to the end".utf8))
    }

    @Test("interim 1xx responses are skipped")
    func interim() throws {
        let parser = try Self.parse(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
            step: 5,
            close: false
        )
        #expect(parser.status == 201 && parser.body == Array("ok".utf8))
    }

    @Test("HEAD, 204 and 304 responses have no body", arguments: [("HEAD", 200), ("GET", 204), ("GET", 304)])
    func noBody(method: String, status: Int) throws {
        let parser = try Self.parse(
            "HTTP/1.1 \(status) X\r\nContent-Length: 10\r\n\r\n",
            method: method,
            close: false
        )
        #expect(parser.isComplete && parser.status == status && parser.body.isEmpty)
    }

    @Test("reading stops at the body limit")
    func bodyLimit() throws {
        let parser = try Self.parse(
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + String(repeating: "x", count: 20),
            step: 1000,
            close: false,
            bodyLimit: 8
        )
        #expect(parser.isComplete && parser.isBodyTruncated && parser.body.count == 8)
    }

    @Test(
        "broken responses are errors that say what is wrong",
        arguments: [
            ("", "connection closed without a response"),
            ("HTTP/1.1 200 OK\r\nContent-", "connection closed in the middle of the headers"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "connection closed before the end of the body"),
            ("SSH-2.0-OpenSSH_9.6\r\n\r\n", "not an HTTP/1.x response: \"SSH-2.0-OpenSSH_9.6\""),
            ("HTTP/2 200\r\n\r\n", "not an HTTP/1.x response"),
            ("HTTP/1.1 20 OK\r\n\r\n", "not an HTTP/1.x response"),
            ("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "malformed header line"),
            ("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", "invalid Content-Length"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", "invalid Content-Length"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "invalid chunk size \"zz\""),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", "chunk data longer than its size"),
            ("\r\nHTTP/1.1 200 OK\r\n\r\n", "response starts with a blank line"),
        ]
    )
    func errors(text: String, message: String) {
        let error = #expect(throws: HTTPResponseError.self) { try Self.parse(text) }
        #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
    }

    @Test("headers larger than 64 KiB are refused before they exhaust memory")
    func headLimit() {
        var parser = HTTPResponseParser(method: "GET")
        let line = "X-Filler: " + String(repeating: "a", count: 1000) + "\r\n"
        #expect(throws: HTTPResponseError("response headers larger than 64 KiB")) {
            _ = try parser.consume(Array("HTTP/1.1 200 OK\r\n".utf8))
            for _ in 0..<70 { _ = try parser.consume(Array(line.utf8)) }
        }
    }
}
