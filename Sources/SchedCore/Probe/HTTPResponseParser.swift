/// Reads one HTTP/1.x response from bytes as they arrive: status line, headers, and the body framed by
/// `Content-Length`, `Transfer-Encoding: chunked`, or the end of the connection.
///
/// Push-based and pure, so the probe's socket loop stays trivial and every framing rule is unit-tested:
/// feed `consume(_:)` until it returns true, or call `finishAtEndOfStream()` when the peer closes.
/// Interim 1xx responses (`100 Continue`) are skipped. Bounded memory: the head may be at most
/// `headLimit` bytes; at most `bodyLimit` body bytes are kept, and once that many arrived the response
/// counts as complete (`isBodyTruncated`), since a health check only needs the start of the body.
public struct HTTPResponseParser: Sendable {
    /// Largest status line plus headers accepted: 64 KiB.
    public static let headLimit = 64 * 1024
    /// Longest chunk-size or trailer line accepted.
    static let lineLimit = 8 * 1024

    enum State: Hashable, Sendable {
        case head
        case fixedLength(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case complete
    }

    /// The final status code, once the head has arrived.
    public private(set) var status: Int?
    /// The body bytes kept so far (at most `bodyLimit`).
    public private(set) var body: [UInt8] = []
    /// True when the body was longer than `bodyLimit` and reading stopped there.
    public private(set) var isBodyTruncated = false
    /// True once the whole response (or `bodyLimit` bytes of its body) has been read.
    public var isComplete: Bool { state == .complete }
    /// True once the final status line and headers have been read.
    public var hasHead: Bool { status != nil }

    private let expectsBody: Bool
    private let bodyLimit: Int
    private var state = State.head
    /// Bytes received but not yet parsed (line-based states need whole lines).
    private var pending: [UInt8] = []

    /// - Parameters:
    ///   - method: the request's method; a response to `HEAD` has no body whatever its headers say.
    ///   - bodyLimit: body bytes to keep.
    public init(method: String, bodyLimit: Int = 1024 * 1024) {
        expectsBody = method != "HEAD"
        self.bodyLimit = bodyLimit
    }

    /// Parses `bytes`; returns true when the response is complete (later bytes are ignored).
    ///
    /// - Throws: `HTTPResponseError` for a response that is not HTTP/1.x or whose framing is broken.
    public mutating func consume(_ bytes: some Collection<UInt8>) throws(HTTPResponseError) -> Bool {
        guard state != .complete else { return true }
        pending.append(contentsOf: bytes)
        var start = 0
        defer { pending.removeFirst(start) }
        while state != .complete, start < pending.count {
            switch state {
            case .head:
                guard let end = try headEnd(from: start) else { return false }
                try parseHead(pending[start..<end.lines])
                start = end.next
            case .fixedLength(let remaining):
                let taken = min(remaining, pending.count - start)
                appendBody(pending[start..<(start + taken)])
                start += taken
                if state != .complete {
                    state = remaining == taken ? .complete : .fixedLength(remaining: remaining - taken)
                }
            case .chunkSize:
                guard let line = try nextLine(from: &start) else { return false }
                let digits = line.prefix { $0 != UInt8(ascii: ";") }.filter { $0 != UInt8(ascii: " ") }
                guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy(Self.isHexDigit),
                    let size = Int(String(decoding: digits, as: UTF8.self), radix: 16)
                else {
                    throw HTTPResponseError("invalid chunk size \(Self.quoted(line))")
                }
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let taken = min(remaining, pending.count - start)
                appendBody(pending[start..<(start + taken)])
                start += taken
                if state != .complete {
                    state = remaining == taken ? .chunkDataEnd : .chunkData(remaining: remaining - taken)
                }
            case .chunkDataEnd:
                guard let line = try nextLine(from: &start) else { return false }
                guard line.isEmpty else { throw HTTPResponseError("chunk data longer than its size") }
                state = .chunkSize
            case .trailers:
                guard let line = try nextLine(from: &start) else { return false }
                if line.isEmpty { state = .complete }
            case .untilClose:
                appendBody(pending[start...])
                start = pending.count
            case .complete:
                break
            }
        }
        return state == .complete
    }

    /// The peer closed the connection: completes a body that runs until the close.
    ///
    /// - Throws: `HTTPResponseError` when the response was cut short.
    public mutating func finishAtEndOfStream() throws(HTTPResponseError) {
        switch state {
        case .complete:
            return
        case .untilClose:
            state = .complete
        case .head:
            throw HTTPResponseError(
                pending.isEmpty && status == nil
                    ? "connection closed without a response" : "connection closed in the middle of the headers"
            )
        default:
            throw HTTPResponseError("connection closed before the end of the body")
        }
    }

    // MARK: - Head

    /// Where the head starting at `start` ends: the end of its last header line, and the first byte
    /// after the blank line. Lines end in CRLF; a bare LF is accepted too (RFC 9112 section 2.2).
    private func headEnd(from start: Int) throws(HTTPResponseError) -> (lines: Int, next: Int)? {
        var index = start
        var lineStart = start
        while index < pending.count {
            if pending[index] == UInt8(ascii: "\n") {
                let length = index - lineStart
                let isBlank = length == 0 || (length == 1 && pending[lineStart] == UInt8(ascii: "\r"))
                if isBlank && lineStart > start { return (lineStart, index + 1) }
                if isBlank { throw HTTPResponseError("response starts with a blank line") }
                lineStart = index + 1
            }
            index += 1
        }
        if pending.count - start > Self.headLimit {
            throw HTTPResponseError("response headers larger than 64 KiB")
        }
        return nil
    }

    /// Status line and headers; picks the body framing (RFC 9112 section 6.3).
    private mutating func parseHead(_ head: ArraySlice<UInt8>) throws(HTTPResponseError) {
        var lines = head.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0
        }
        if lines.last?.isEmpty == true { lines.removeLast() }
        let statusLine = lines.removeFirst()
        // status-line = HTTP-version SP status-code SP [ reason-phrase ]
        let prefix = Array("HTTP/1.".utf8)
        guard statusLine.count >= 12, statusLine.starts(with: prefix),
            statusLine[statusLine.startIndex + 8] == UInt8(ascii: " "),
            statusLine.count == 12 || statusLine[statusLine.startIndex + 12] == UInt8(ascii: " "),
            let code = Int(String(decoding: statusLine.dropFirst(9).prefix(3), as: UTF8.self)),
            (100...999).contains(code)
        else {
            throw HTTPResponseError("not an HTTP/1.x response: \(Self.quoted(statusLine))")
        }

        var contentLength: Int?
        var chunked = false
        for line in lines {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw HTTPResponseError("malformed header line \(Self.quoted(line))")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = Self.trimmed(line[(colon + 1)...])
            switch name {
            case "content-length":
                guard value.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                    let length = Int(String(decoding: value, as: UTF8.self)),
                    contentLength == nil || contentLength == length
                else {
                    throw HTTPResponseError("invalid Content-Length \(Self.quoted(value))")
                }
                contentLength = length
            case "transfer-encoding":
                // Chunked must be the last coding when present (RFC 9112 section 6.1).
                let codings = String(decoding: value, as: UTF8.self).lowercased().split(separator: ",")
                chunked = codings.last.map { $0.trimmingCharacters(" \t") == "chunked" } ?? false
            default:
                break
            }
        }

        if (100...199).contains(code) && code != 101 {
            // An interim response (100 Continue, 103 Early Hints): the real one follows.
            return
        }
        status = code
        if !expectsBody || code == 204 || code == 304 || (100...199).contains(code) {
            state = .complete
        } else if chunked {
            state = .chunkSize
        } else if let contentLength {
            state = contentLength == 0 ? .complete : .fixedLength(remaining: contentLength)
        } else {
            state = .untilClose
        }
    }

    // MARK: - Helpers

    /// The next whole line from `start` without its line ending; nil until it has arrived.
    private func nextLine(from start: inout Int) throws(HTTPResponseError) -> ArraySlice<UInt8>? {
        guard let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) else {
            if pending.count - start > Self.lineLimit { throw HTTPResponseError("chunk framing line too long") }
            return nil
        }
        var line = pending[start..<newline]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        start = newline + 1
        return line
    }

    private mutating func appendBody(_ bytes: ArraySlice<UInt8>) {
        let room = bodyLimit - body.count
        if bytes.count > room {
            body.append(contentsOf: bytes.prefix(room))
            isBodyTruncated = true
            state = .complete
        } else {
            body.append(contentsOf: bytes)
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            true
        default: false
        }
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return [] }
        let last = bytes.lastIndex(where: { !isSpace($0) })!
        return bytes[first...last]
    }

    /// A short quoted rendering of protocol bytes for error messages.
    private static func quoted(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(80), as: UTF8.self)
        return JSONText.quoted(bytes.count > 80 ? text + "…" : text)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(_ set: String) -> Substring {
        var result = self
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return result
    }
}

/// A response the probe cannot read: not HTTP/1.x, broken framing, or cut short.
public struct HTTPResponseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
