/// The request line and headers of one HTTP/1.x request, read by a strict, bounded parser for the
/// metrics listener.
///
/// Grammar (RFC 9112, minus everything the listener does not need):
///
///     head         = request-line *(header-line) CRLF
///     request-line = method SP request-target SP ("HTTP/1.0" / "HTTP/1.1") CRLF
///     method       = 1*tchar
///     target       = "/" *(VCHAR except "#")          ; origin form only
///     header-line  = field-name ":" OWS field-value OWS CRLF
///     field-name   = 1*tchar
///     field-value  = *(VCHAR / SP / HTAB / obs-text)  ; no obs-fold, no bare CR or LF
///
/// Limits: the head must end within `maximumHeadBytes` and carry at most `maximumHeaderCount` headers;
/// HTTP/1.1 needs exactly one `Host`; a body (`Content-Length` other than 0, any `Transfer-Encoding`) is
/// refused, since `GET /metrics` has none.
struct HTTPRequestHead: Equatable {
    var method: String
    /// The request target as sent (`/metrics?x=1`).
    var target: String
    /// `target` without its query.
    var path: String
    var version: String
    var headers: [Header]

    struct Header: Equatable {
        var name: String
        var value: String
    }

    static let maximumHeadBytes = 8 * 1024
    static let maximumHeaderCount = 32

    /// What a buffer holds so far.
    enum ParseResult: Equatable {
        /// No complete head yet, and nothing wrong so far: read more.
        case incomplete
        /// A complete, valid head (bytes after it, a pipelined request or a body, are ignored).
        case complete(HTTPRequestHead)
        /// Malformed or over a limit: answer 400 with `reason` and close.
        case invalid(reason: String)
    }

    /// Parses the start of `bytes`. Called again with the whole buffer after each read: the buffer is at
    /// most `maximumHeadBytes`, so re-scanning costs little and keeps the parser stateless.
    static func parse(_ bytes: [UInt8]) -> ParseResult {
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = 0
        var index = 0
        var ended = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == lf {
                return .invalid(reason: "bare LF")
            }
            if byte == cr {
                guard index + 1 < bytes.count else { break }
                guard bytes[index + 1] == lf else { return .invalid(reason: "bare CR") }
                let line = bytes[lineStart..<index]
                if line.isEmpty {
                    if lines.isEmpty { return .invalid(reason: "empty request line") }
                    ended = true
                    break
                }
                lines.append(line)
                if lines.count > maximumHeaderCount + 1 { return .invalid(reason: "too many headers") }
                index += 2
                lineStart = index
                continue
            }
            // Controls other than HTAB never appear in a head.
            if byte < 0x20 && byte != 0x09 || byte == 0x7F { return .invalid(reason: "control character") }
            index += 1
        }
        if !ended {
            if bytes.count >= maximumHeadBytes { return .invalid(reason: "request head too large") }
            // Reject a bad request line as soon as it is complete instead of waiting for the rest.
            if let first = lines.first, case .failure(let reason) = requestLine(first) {
                return .invalid(reason: reason.text)
            }
            return .incomplete
        }
        if index + 2 > maximumHeadBytes { return .invalid(reason: "request head too large") }

        let start: (method: String, target: String, version: String)
        switch requestLine(lines[0]) {
        case .success(let value): start = value
        case .failure(let reason): return .invalid(reason: reason.text)
        }
        var headers: [Header] = []
        for line in lines.dropFirst() {
            guard let header = header(line) else { return .invalid(reason: "malformed header line") }
            headers.append(header)
        }
        let hosts = headers.filter { $0.name.lowercased() == "host" }
        if start.version == "HTTP/1.1", hosts.count != 1 { return .invalid(reason: "HTTP/1.1 needs one Host header") }
        if hosts.count > 1 { return .invalid(reason: "repeated Host header") }
        for header in headers {
            switch header.name.lowercased() {
            case "content-length" where header.value != "0": return .invalid(reason: "unexpected request body")
            case "transfer-encoding": return .invalid(reason: "unexpected request body")
            default: continue
            }
        }
        let path = start.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first
        return .complete(
            HTTPRequestHead(
                method: start.method,
                target: start.target,
                path: path.map(String.init) ?? start.target,
                version: start.version,
                headers: headers
            )
        )
    }

    private static func requestLine(_ line: ArraySlice<UInt8>) -> Result<(String, String, String), Reason> {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure("malformed request line") }
        guard !parts[0].isEmpty, parts[0].allSatisfy(isTokenCharacter) else { return .failure("malformed method") }
        let target = parts[1]
        guard target.first == UInt8(ascii: "/"),
            target.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") })
        else { return .failure("malformed request target") }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else { return .failure("unsupported HTTP version") }
        return .success((String(decoding: parts[0], as: UTF8.self), String(decoding: target, as: UTF8.self), version))
    }

    private static func header(_ line: ArraySlice<UInt8>) -> Header? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenCharacter) else { return nil }
        var value = line[(colon + 1)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        return Header(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
    }

    /// RFC 9110 `tchar`.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// Why a request line was refused.
    struct Reason: Error, ExpressibleByStringLiteral {
        var text: String
        init(stringLiteral text: String) { self.text = text }
    }
}
