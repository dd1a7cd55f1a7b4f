import SchedTime

/// One health-check request as the probe executables receive it: what to send, what to expect, and
/// how long it may take.
///
/// The daemon passes it to `schedd-http-probe` split in two: the URL, method, expectations and timeout
/// as command-line arguments (visible in `ps`, which helps operators), the headers and the body as
/// environment variables, because `/proc/<pid>/cmdline` is world-readable and `/proc/<pid>/environ` is
/// not — an `Authorization` header must not leak to every local user.
///
/// Arguments: `--url U --method M --timeout-ms N [--expect-status 200,204] [--expect-body TEXT]`.
/// Environment: `SCHEDD_HTTP_HEADER_1=Name: value`, `SCHEDD_HTTP_HEADER_2=…` (numbered from 1, in
/// order, no gaps), `SCHEDD_HTTP_BODY=…` when there is a body.
public struct HTTPProbeRequest: Hashable, Sendable {
    public var url: String
    public var method: String
    public var headers: [HTTPHeader]
    public var body: String?
    /// Accepted status codes; nil accepts any 2xx.
    public var expectStatus: [Int]?
    /// Text the body must contain.
    public var expectBody: String?
    /// Limit for the whole request: name resolution, connecting, sending, and reading the response.
    public var timeout: Duration

    /// The time limit used when neither the check nor its job sets one: a health check that may hang
    /// forever would block every later check of its job (overlap policy `skip`).
    public static let defaultTimeout = Duration.seconds(30)

    /// Prefix of the numbered header variables.
    public static let headerVariablePrefix = "SCHEDD_HTTP_HEADER_"
    /// The variable that carries the body.
    public static let bodyVariable = "SCHEDD_HTTP_BODY"

    public init(
        url: String,
        method: String = "GET",
        headers: [HTTPHeader] = [],
        body: String? = nil,
        expectStatus: [Int]? = nil,
        expectBody: String? = nil,
        timeout: Duration = HTTPProbeRequest.defaultTimeout
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.expectStatus = expectStatus
        self.expectBody = expectBody
        self.timeout = timeout
    }

    /// The request for `check`: its own `timeout`, else the job's, else `defaultTimeout`.
    public init(check: HTTPCheck, jobTimeout: Duration?) {
        self.init(
            url: check.url,
            method: check.method,
            headers: check.headers,
            body: check.body,
            expectStatus: check.expectStatus,
            expectBody: check.expectBody,
            timeout: check.timeout ?? jobTimeout ?? Self.defaultTimeout
        )
    }

    /// What the response is judged against.
    public var expectation: HTTPExpectation {
        HTTPExpectation(expectStatus: expectStatus, expectBody: expectBody)
    }

    /// `timeout` in whole milliseconds, at least 1.
    var timeoutMilliseconds: Int64 {
        max(1, timeout.totalNanoseconds / 1_000_000)
    }

    // MARK: - Encoding

    /// The probe's arguments after the program path.
    public var arguments: [String] {
        var arguments = ["--url", url, "--method", method, "--timeout-ms", String(timeoutMilliseconds)]
        if let expectStatus {
            arguments += ["--expect-status", expectStatus.map(String.init).joined(separator: ",")]
        }
        if let expectBody {
            arguments += ["--expect-body", expectBody]
        }
        return arguments
    }

    /// `KEY=value` entries to add to the probe's environment.
    public var environment: [String] {
        var variables = headers.enumerated().map { index, header in
            "\(Self.headerVariablePrefix)\(index + 1)=\(header.name): \(header.value)"
        }
        if let body { variables.append("\(Self.bodyVariable)=\(body)") }
        return variables
    }

    /// Whether `entry` (`KEY=value`) is one of the variables this type owns; the launcher removes such
    /// entries from a job's own environment so they cannot be confused with the real request.
    public static func isProbeVariable(_ entry: String) -> Bool {
        entry.hasPrefix(headerVariablePrefix) || entry.hasPrefix(bodyVariable + "=")
    }

    // MARK: - Decoding

    /// Reads the request back from the probe's arguments (without the program path) and environment.
    ///
    /// - Parameter environment: looks up one variable by name.
    /// - Throws: `HTTPProbeUsageError` naming the bad or missing argument.
    public init(arguments: [String], environment: (String) -> String?) throws(HTTPProbeUsageError) {
        var url: String?
        var method = "GET"
        var timeout: Duration?
        var expectStatus: [Int]?
        var expectBody: String?
        var index = 0
        while index < arguments.count {
            let option = arguments[index]
            guard index + 1 < arguments.count else { throw HTTPProbeUsageError("\(option) needs a value") }
            let value = arguments[index + 1]
            index += 2
            switch option {
            case "--url":
                url = value
            case "--method":
                method = value
            case "--timeout-ms":
                guard let milliseconds = Int64(value), milliseconds > 0 else {
                    throw HTTPProbeUsageError("--timeout-ms needs a positive number of milliseconds, found \(value)")
                }
                timeout = .milliseconds(milliseconds)
            case "--expect-status":
                let codes = value.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
                guard !codes.isEmpty, codes.allSatisfy({ $0.map { (100...599).contains($0) } ?? false }) else {
                    throw HTTPProbeUsageError("--expect-status needs status codes like 200,204, found \(value)")
                }
                expectStatus = codes.compactMap { $0 }
            case "--expect-body":
                expectBody = value
            default:
                throw HTTPProbeUsageError("unknown option \(option)")
            }
        }
        guard let url else { throw HTTPProbeUsageError("--url is required") }
        var headers: [HTTPHeader] = []
        var number = 1
        while let line = environment("\(Self.headerVariablePrefix)\(number)") {
            guard let colon = line.firstIndex(of: ":") else {
                throw HTTPProbeUsageError("\(Self.headerVariablePrefix)\(number) is not 'Name: value'")
            }
            let value = line[line.index(after: colon)...]
            headers.append(
                HTTPHeader(
                    name: String(line[..<colon]),
                    value: String(value.hasPrefix(" ") ? value.dropFirst() : value)
                )
            )
            number += 1
        }
        self.init(
            url: url,
            method: method,
            headers: headers,
            body: environment(Self.bodyVariable),
            expectStatus: expectStatus,
            expectBody: expectBody,
            timeout: timeout ?? Self.defaultTimeout
        )
    }
}

/// A probe invoked with arguments it cannot use (a daemon/probe version mismatch or a manual call).
public struct HTTPProbeUsageError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
