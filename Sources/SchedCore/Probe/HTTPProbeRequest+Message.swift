extension HTTPProbeRequest {
    /// The name the probe gives itself in `User-Agent` unless the check sets one.
    public static let userAgent = "schedd-http-probe"

    /// The complete HTTP/1.1 request message for `url` (this request's parsed URL): request line,
    /// headers, blank line, body.
    ///
    /// The probe adds `Host`, `User-Agent`, `Accept: */*` and `Connection: close` unless the check
    /// sets a header of that name itself. `Content-Length` is always the probe's own (the length of
    /// the body; 0 for a POST, PUT or PATCH without one), because a wrong length would corrupt the
    /// exchange; a `Content-Length` or `Transfer-Encoding` in the check's headers is left out for the
    /// same reason. `Connection: close` lets the response end at EOF and keeps one request per
    /// connection, which is all a probe needs.
    public func http11Message(for url: HTTPURL) -> [UInt8] {
        let framing = ["content-length", "transfer-encoding"]
        let userHeaders = headers.filter { !framing.contains($0.name.lowercased()) }
        let userNames = Set(userHeaders.map { $0.name.lowercased() })
        var lines = ["\(method) \(url.target) HTTP/1.1"]
        let defaults = [
            ("Host", url.hostHeader), ("User-Agent", Self.userAgent), ("Accept", "*/*"), ("Connection", "close"),
        ]
        for (name, value) in defaults where !userNames.contains(name.lowercased()) {
            lines.append("\(name): \(value)")
        }
        for header in userHeaders {
            lines.append("\(header.name): \(header.value)")
        }
        let bodyBytes = Array((body ?? "").utf8)
        if body != nil || ["POST", "PUT", "PATCH"].contains(method) {
            lines.append("Content-Length: \(bodyBytes.count)")
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + bodyBytes
    }
}
