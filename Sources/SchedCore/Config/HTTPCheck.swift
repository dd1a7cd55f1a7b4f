/// An HTTP health check: request `url`, succeed when the status (and, if given, the body) is as
/// expected. Runs in a helper process like every other job, so TLS stays out of the daemon.
public struct HTTPCheck: Hashable, Sendable {
    /// An `http://` or `https://` URL.
    public var url: String
    /// Upper-case method name; `GET` by default.
    public var method: String
    /// Extra request headers, in the order written.
    public var headers: [HTTPHeader]
    public var body: String?
    /// The accepted status codes; nil accepts any 2xx.
    public var expectStatus: [Int]?
    /// A substring the response body must contain.
    public var expectBody: String?
    /// Time limit for the whole request; nil leaves it to the job's `timeout`.
    public var timeout: Duration?

    public init(
        url: String,
        method: String = "GET",
        headers: [HTTPHeader] = [],
        body: String? = nil,
        expectStatus: [Int]? = nil,
        expectBody: String? = nil,
        timeout: Duration? = nil
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.expectStatus = expectStatus
        self.expectBody = expectBody
        self.timeout = timeout
    }

    /// Whether a response with `status` passes the status part of the check.
    public func accepts(status: Int) -> Bool {
        expectStatus.map { $0.contains(status) } ?? (200...299).contains(status)
    }
}

/// One request header of an `HTTPCheck`.
public struct HTTPHeader: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Whether `name` is an RFC 9110 `token`: visible ASCII except separators, at least one character.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && scalar.value > 0x20 && scalar.value < 0x7F
                    && !"\"(),/:;<=>?@[\\]{}".unicodeScalars.contains(scalar)
            }
    }

    /// Whether `value` can travel in a header line: no CR, LF or NUL (which would end the line early or
    /// smuggle a second header into the request).
    public static func isValidValue(_ value: String) -> Bool {
        !value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
    }
}
