import Foundation
import Glibc

@testable import SchedRuntime

/// A blocking 127.0.0.1 client for the metrics listener tests.
struct TCPTestClient {
    let fd: Int32

    /// Connects to 127.0.0.1:`port`; receives time out after `timeout` seconds.
    init(port: UInt16, receiveBuffer: Int32? = nil, timeout: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Errno.current }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let result = withUnsafeBytes(of: &address) {
            connect(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count))
        }
        guard result == 0 else {
            let error = Errno.current
            close(fd)
            throw error
        }
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if count <= 0 { return }
            offset += count
        }
    }

    /// Everything until EOF; nil when the receive timed out first, `reset` when the peer reset.
    func readToEnd() -> (bytes: [UInt8], eof: Bool, reset: Bool) {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 {
                result += buffer[..<count]
                continue
            }
            if count == 0 { return (result, true, false) }
            return (result, false, errno == ECONNRESET)
        }
    }

    /// The whole response as text, with whether it ended cleanly.
    func response() -> (text: String, eof: Bool) {
        let (bytes, eof, _) = readToEnd()
        return (String(decoding: bytes, as: UTF8.self), eof)
    }

    func closeConnection() { close(fd) }
}

/// A parsed HTTP response: status code, headers (lower-cased names), body.
struct TestHTTPResponse {
    var status: Int
    var headers: [String: String]
    var body: String

    init?(_ text: String) {
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ", maxSplits: 2)
        guard statusLine.count == 3, statusLine[0] == "HTTP/1.1", let code = Int(statusLine[1]) else { return nil }
        status = code
        headers = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces
            )
        }
        body = String(text[split.upperBound...])
    }
}
