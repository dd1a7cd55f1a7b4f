/// The few HTTP responses the metrics listener sends; every one closes the connection.
struct HTTPResponse {
    enum Status: Int {
        case ok = 200
        case badRequest = 400
        case notFound = 404
        case methodNotAllowed = 405

        var reason: String {
            switch self {
            case .ok: "OK"
            case .badRequest: "Bad Request"
            case .notFound: "Not Found"
            case .methodNotAllowed: "Method Not Allowed"
            }
        }
    }

    /// The Prometheus text format's content type.
    static let exposition = "text/plain; version=0.0.4; charset=utf-8"

    var status: Status
    var contentType = "text/plain; charset=utf-8"
    var body: String
    /// False for HEAD: the headers (with the body's length) only.
    var includesBody = true

    /// The status line, headers and (unless HEAD) body, ready to send.
    var bytes: [UInt8] {
        var head = "HTTP/1.1 \(status.rawValue) \(status.reason)\r\n"
        head += "Content-Type: \(contentType)\r\n"
        head += "Content-Length: \(body.utf8.count)\r\n"
        if status == .methodNotAllowed { head += "Allow: GET, HEAD\r\n" }
        head += "Connection: close\r\n\r\n"
        var result = Array(head.utf8)
        if includesBody { result.append(contentsOf: body.utf8) }
        return result
    }

    /// The answer to a parsed request: only `GET` and `HEAD` of `/metrics` succeed.
    static func answer(_ parsed: HTTPRequestHead.ParseResult, render: () -> String) -> HTTPResponse? {
        switch parsed {
        case .incomplete:
            return nil
        case .invalid(let reason):
            return HTTPResponse(status: .badRequest, body: "bad request: \(reason)\n")
        case .complete(let head):
            let isHead = head.method == "HEAD"
            guard head.method == "GET" || isHead else {
                return HTTPResponse(status: .methodNotAllowed, body: "only GET and HEAD\n")
            }
            guard head.path == "/metrics" else {
                return HTTPResponse(
                    status: .notFound,
                    body: "not found; metrics are at /metrics\n",
                    includesBody: !isHead
                )
            }
            return HTTPResponse(status: .ok, contentType: exposition, body: render(), includesBody: !isHead)
        }
    }
}
