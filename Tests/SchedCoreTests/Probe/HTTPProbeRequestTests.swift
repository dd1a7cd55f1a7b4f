import SchedCore
import Testing

@Suite struct HTTPProbeRequestTests {
    /// Environment lookup from `KEY=value` entries, as the probe sees its environment.
    static func lookup(_ entries: [String]) -> (String) -> String? {
        var table: [String: String] = [:]
        for entry in entries {
            let equals = entry.firstIndex(of: "=")!
            table[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        return { table[$0] }
    }

    @Test("arguments and environment read back to the same request")
    func roundTrip() throws {
        let request = HTTPProbeRequest(
            url: "https://example.com/hook?x=1",
            method: "POST",
            headers: [
                HTTPHeader(name: "Authorization", value: "Bearer s3cret"),
                HTTPHeader(name: "X-Empty", value: ""),
                HTTPHeader(name: "X-Colon", value: "a: b"),
            ],
            body: "{\"a\": 1}\nline two",
            expectStatus: [200, 204],
            expectBody: "--url",
            timeout: .milliseconds(2500)
        )
        let decoded = try HTTPProbeRequest(arguments: request.arguments, environment: Self.lookup(request.environment))
        #expect(decoded == request)
    }

    @Test("secrets stay out of the command line, which every local user can read")
    func secretsInEnvironment() {
        let request = HTTPProbeRequest(
            url: "http://example.com/",
            headers: [HTTPHeader(name: "Authorization", value: "Bearer s3cret")],
            body: "password=hunter2"
        )
        #expect(!request.arguments.joined(separator: " ").contains("s3cret"))
        #expect(!request.arguments.joined(separator: " ").contains("hunter2"))
        #expect(
            request.environment == [
                "SCHEDD_HTTP_HEADER_1=Authorization: Bearer s3cret", "SCHEDD_HTTP_BODY=password=hunter2",
            ]
        )
        #expect(request.arguments == ["--url", "http://example.com/", "--method", "GET", "--timeout-ms", "30000"])
    }

    @Test("the timeout is the check's, else the job's, else 30 s")
    func timeoutFallback() {
        let check = HTTPCheck(url: "http://example.com/")
        #expect(HTTPProbeRequest(check: check, jobTimeout: nil).timeout == .seconds(30))
        #expect(HTTPProbeRequest(check: check, jobTimeout: .seconds(7)).timeout == .seconds(7))
        var own = check
        own.timeout = .seconds(5)
        #expect(HTTPProbeRequest(check: own, jobTimeout: .seconds(7)).timeout == .seconds(5))
    }

    @Test("a body that is present but empty is kept apart from no body")
    func emptyBody() throws {
        let request = HTTPProbeRequest(url: "http://example.com/", method: "POST", body: "")
        let decoded = try HTTPProbeRequest(arguments: request.arguments, environment: Self.lookup(request.environment))
        #expect(decoded.body == "")
        let none = try HTTPProbeRequest(arguments: ["--url", "http://x/"], environment: { _ in nil })
        #expect(none.body == nil)
    }

    @Test(
        "bad arguments are usage errors",
        arguments: [
            (["--method", "GET"], "--url is required"),
            (["--url"], "--url needs a value"),
            (["--url", "http://x/", "--timeout-ms", "0"], "--timeout-ms needs a positive number of milliseconds"),
            (["--url", "http://x/", "--expect-status", "200,abc"], "--expect-status needs status codes"),
            (["--url", "http://x/", "--expect-status", "200,"], "--expect-status needs status codes"),
            (["--url", "http://x/", "--expect-status", "99"], "--expect-status needs status codes"),
            (["--url", "http://x/", "--verbose", "yes"], "unknown option --verbose"),
        ]
    )
    func usageErrors(arguments: [String], message: String) {
        let error = #expect(throws: HTTPProbeUsageError.self) {
            try HTTPProbeRequest(arguments: arguments, environment: { _ in nil })
        }
        #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
    }

    @Test("the probe's own variables are recognised so a job cannot inject them")
    func probeVariables() {
        #expect(HTTPProbeRequest.isProbeVariable("SCHEDD_HTTP_HEADER_1=X: y"))
        #expect(HTTPProbeRequest.isProbeVariable("SCHEDD_HTTP_BODY="))
        #expect(!HTTPProbeRequest.isProbeVariable("SCHEDD_HTTP_BODYGUARD=1"))
        #expect(!HTTPProbeRequest.isProbeVariable("SCHEDD_JOB_ID=a"))
    }
}
