/// What a health check accepts, and the verdict on a response that arrived.
public struct HTTPExpectation: Hashable, Sendable {
    /// Accepted status codes; nil accepts any 2xx.
    public var expectStatus: [Int]?
    /// Text the body must contain (compared as UTF-8 bytes, case-sensitively).
    public var expectBody: String?

    /// How much of the body a failed check keeps for the run record: 1 KiB.
    public static let excerptLimit = 1024

    public init(expectStatus: [Int]? = nil, expectBody: String? = nil) {
        self.expectStatus = expectStatus
        self.expectBody = expectBody
    }

    /// Whether `status` passes the status part of the check.
    public func accepts(status: Int) -> Bool {
        expectStatus.map { $0.contains(status) } ?? (200...299).contains(status)
    }

    /// Judges a complete response.
    ///
    /// The status is checked first: a wrong status fails with `"unexpected status 503"` whatever the
    /// body says. Then, when `expectBody` is set, the body must contain it, or the check fails with
    /// `"body mismatch: expected \"ok\""`. A failed verdict keeps the body's first 1 KiB.
    ///
    /// - Parameters:
    ///   - body: the body bytes as far as the probe read them (it stops at its size cap).
    ///   - latency: from the start of the request to the end of the response.
    public func evaluate(status: Int, body: [UInt8], latency: Duration) -> ProbeResult {
        var result = ProbeResult(httpStatus: status, latency: latency)
        if !accepts(status: status) {
            result.failure = .status
            result.reason = "unexpected status \(status)"
        } else if let expectBody, !expectBody.isEmpty, body.firstRange(of: Array(expectBody.utf8)) == nil {
            result.failure = .bodyMismatch
            result.reason = "body mismatch: expected \(JSONText.quoted(expectBody))"
        }
        if !result.isOK {
            result.bodyExcerpt = Self.excerpt(of: body)
        }
        return result
    }

    /// The first `excerptLimit` bytes of `body` as text: cut back to a whole UTF-8 character, invalid
    /// bytes shown as U+FFFD.
    public static func excerpt(of body: [UInt8]) -> String {
        var end = min(body.count, excerptLimit)
        if end < body.count {
            // Step back over continuation bytes (10xxxxxx) so a multi-byte character is not split.
            var start = end
            while start > 0, start > end - 4, body[start] & 0xC0 == 0x80 { start -= 1 }
            end = start
        }
        return String(decoding: body[..<end], as: UTF8.self)
    }
}
