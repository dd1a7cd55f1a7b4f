import SchedCore
import Testing

@Suite struct HTTPExpectationTests {
    let latency = Duration.milliseconds(7)

    @Test("any 2xx passes by default; other statuses fail with the code", arguments: [200, 201, 204, 299])
    func default2xx(status: Int) {
        #expect(HTTPExpectation().evaluate(status: status, body: [], latency: latency).isOK)
    }

    @Test("a status outside the accepted ones fails", arguments: [(nil, 503), (nil, 301), (nil, 199), ([200], 204)])
    func unexpectedStatus(expect: [Int]?, status: Int) {
        let result = HTTPExpectation(expectStatus: expect).evaluate(
            status: status,
            body: Array("maintenance".utf8),
            latency: latency
        )
        #expect(result.failure == .status)
        #expect(result.reason == "unexpected status \(status)")
        #expect(result.httpStatus == status)
        #expect(result.latency == latency)
        #expect(result.bodyExcerpt == "maintenance")
    }

    @Test("listed statuses pass even outside 2xx")
    func listedStatus() {
        let result = HTTPExpectation(expectStatus: [200, 418]).evaluate(status: 418, body: [], latency: latency)
        #expect(result.isOK && result.httpStatus == 418 && result.bodyExcerpt == nil)
    }

    @Test("the body must contain the expected text")
    func body() {
        let expectation = HTTPExpectation(expectBody: "\"status\": \"ok\"")
        #expect(expectation.evaluate(status: 200, body: Array(#"{"status": "ok"}"#.utf8), latency: latency).isOK)
        let missing = expectation.evaluate(status: 200, body: Array(#"{"status": "degraded"}"#.utf8), latency: latency)
        #expect(missing.failure == .bodyMismatch)
        #expect(missing.reason == #"body mismatch: expected "\"status\": \"ok\"""#)
        #expect(missing.bodyExcerpt == #"{"status": "degraded"}"#)
        #expect(missing.httpStatus == 200)
    }

    @Test("the status is judged before the body")
    func statusFirst() {
        let result = HTTPExpectation(expectBody: "ok").evaluate(status: 500, body: Array("ok".utf8), latency: latency)
        #expect(result.failure == .status)
    }

    @Test("the excerpt is the first KiB, cut at a whole character")
    func excerpt() {
        #expect(HTTPExpectation.excerpt(of: Array(repeating: 0x61, count: 5000)).utf8.count == 1024)
        // 1023 ASCII bytes then "é" (2 bytes): the é would straddle the limit, so it is left out.
        let straddling = Array(repeating: UInt8(0x61), count: 1023) + Array("\u{e9}xyz".utf8)
        #expect(HTTPExpectation.excerpt(of: straddling) == String(repeating: "a", count: 1023))
        // Exactly at the limit: kept whole.
        let fitting = Array(repeating: UInt8(0x61), count: 1022) + Array("\u{e9}xyz".utf8)
        #expect(HTTPExpectation.excerpt(of: fitting) == String(repeating: "a", count: 1022) + "\u{e9}")
        // Invalid UTF-8 is shown, not dropped.
        #expect(HTTPExpectation.excerpt(of: [0x6F, 0xFF, 0x6B]) == "o\u{FFFD}k")
    }
}
