import SchedTime

/// What a probe found out, reported to the daemon as one JSON line on the probe's stdout
/// (`ProbeResult+JSON.swift`): the verdict, the facts for the run record, and the reason on failure.
public struct ProbeResult: Hashable, Sendable {
    /// Why a check failed, for programs; `reason` is the sentence for people.
    public enum FailureKind: String, Hashable, Sendable, CaseIterable {
        /// The host name could not be resolved.
        case dns
        /// Nothing listens there (or, for HTTPS, the connection could not be made at all).
        case refused
        /// The TLS handshake or certificate check failed.
        case tls
        /// The whole request did not finish within its time limit.
        case timeout
        /// A response arrived with a status the check does not accept.
        case status
        /// The body does not contain the expected text.
        case bodyMismatch = "body_mismatch"
        /// Anything else on the way: a reset connection, a malformed response, a probe that cannot run.
        case io
    }

    /// The failure, or nil when the check passed.
    public var failure: FailureKind?
    /// The sentence a user reads in `history` ("unexpected status 503"); nil when the check passed.
    public var reason: String?
    /// The response's status code, when a response arrived.
    public var httpStatus: Int?
    /// From the start of the request (name resolution included) to the end of the response.
    public var latency: Duration?
    /// The first `HTTPExpectation.excerptLimit` bytes of the body, kept when the check failed.
    public var bodyExcerpt: String?

    public init(
        failure: FailureKind? = nil,
        reason: String? = nil,
        httpStatus: Int? = nil,
        latency: Duration? = nil,
        bodyExcerpt: String? = nil
    ) {
        self.failure = failure
        self.reason = reason
        self.httpStatus = httpStatus
        self.latency = latency
        self.bodyExcerpt = bodyExcerpt
    }

    /// True when the check passed.
    public var isOK: Bool { failure == nil }

    /// `latency` in whole milliseconds, the run object's `latency_ms`.
    public var latencyMilliseconds: Int64? {
        latency.map { $0.totalNanoseconds / 1_000_000 }
    }

    /// The probe's exit status: 0 when the check passed, 1 when it failed. (2 is a usage error, which
    /// prints no result.)
    public var exitCode: Int32 { isOK ? 0 : 1 }

    // MARK: - Failures before a response

    /// The name did not resolve. `detail` is the resolver's message (`gai_strerror`).
    public static func dnsFailure(host: String, detail: String, latency: Duration?) -> ProbeResult {
        ProbeResult(failure: .dns, reason: "DNS failure: cannot resolve \(host) (\(detail))", latency: latency)
    }

    /// Every address of the host refused the connection; `address` is the last one tried.
    public static func connectionRefused(address: String, latency: Duration?) -> ProbeResult {
        ProbeResult(failure: .refused, reason: "connection refused (\(address))", latency: latency)
    }

    /// The TLS layer failed; `detail` says how (certificate, handshake, …).
    public static func tlsFailure(_ detail: String, latency: Duration?) -> ProbeResult {
        ProbeResult(failure: .tls, reason: "TLS error: \(detail)", latency: latency)
    }

    /// The limit ran out; `phase` says what the probe was doing ("connecting", "reading the body").
    public static func timedOut(after limit: Duration, phase: String?) -> ProbeResult {
        let during = phase.map { " while \($0)" } ?? ""
        return ProbeResult(
            failure: .timeout,
            reason: "timed out after \(DurationText.format(limit))\(during)",
            latency: limit
        )
    }

    /// Any other failure; `message` is the whole sentence.
    public static func ioFailure(_ message: String, httpStatus: Int? = nil, latency: Duration?) -> ProbeResult {
        ProbeResult(failure: .io, reason: message, httpStatus: httpStatus, latency: latency)
    }
}
