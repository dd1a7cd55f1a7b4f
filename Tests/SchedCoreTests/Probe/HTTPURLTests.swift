import SchedCore
import Testing

@Suite struct HTTPURLTests {
    @Test(
        "takes a URL apart for the request line",
        arguments: [
            ("http://127.0.0.1:8080/health", HTTPURL.Scheme.http, "127.0.0.1", 8080, "/health", "127.0.0.1:8080"),
            ("HTTPS://API.Example.com", .https, "api.example.com", 443, "/", "api.example.com"),
            ("http://example.com?x=1", .http, "example.com", 80, "/?x=1", "example.com"),
            ("http://example.com/a/b?x=1&y=2#frag", .http, "example.com", 80, "/a/b?x=1&y=2", "example.com"),
            ("http://[::1]:9000/ping", .http, "::1", 9000, "/ping", "[::1]:9000"),
            ("https://[2001:db8::1]/", .https, "2001:db8::1", 443, "/", "[2001:db8::1]"),
            ("http://example.com:/", .http, "example.com", 80, "/", "example.com"),
            ("http://example.com:80/", .http, "example.com", 80, "/", "example.com"),
            ("http://example.com/caf\u{e9}", .http, "example.com", 80, "/caf%C3%A9", "example.com"),
        ]
    )
    func parses(text: String, scheme: HTTPURL.Scheme, host: String, port: Int, target: String, hostHeader: String)
        throws
    {
        let url = try HTTPURL(parsing: text)
        #expect(url.scheme == scheme)
        #expect(url.host == host)
        #expect(url.port == port)
        #expect(url.target == target)
        #expect(url.hostHeader == hostHeader)
    }

    @Test(
        "rejects URLs a request line cannot carry, pointing at the column",
        arguments: [
            ("ftp://example.com/", 1, "URL must start with http:// or https://"),
            ("http:/example.com", 1, "URL must start with http:// or https://"),
            ("http://", 8, "URL has no host"),
            ("http:///path", 8, "URL has no host"),
            ("http://user:pw@example.com/", 15, "credentials in the URL are not supported"),
            ("http://example.com:0/", 20, "invalid port"),
            ("http://example.com:65536/", 20, "invalid port"),
            ("http://example.com:8o/", 20, "invalid port"),
            ("http://exa mple.com/", 11, "invalid character ' ' in the host name"),
            ("http://example.com/a b", 21, "URL contains a space; write it as %20"),
            ("http://example.com/a\tb", 21, "URL contains a control character"),
            ("http://[::1/", 8, "IPv6 address without a closing ']'"),
            ("http://[::1]x/", 13, "expected ':' or '/' after ']'"),
        ]
    )
    func rejects(text: String, column: Int, message: String) {
        let error = #expect(throws: HTTPURLError.self) { try HTTPURL(parsing: text) }
        #expect(error?.column == column)
        #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
    }
}
