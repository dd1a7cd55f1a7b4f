import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The test HTTP server (`Tests/Support/http_test_server.py`) running on 127.0.0.1 for one test.
///
/// It binds an ephemeral port and announces it on stdout, so there is no port race and no readiness
/// poll: once `start` returns, the server accepts connections. Always `stop()` it (use `defer`).
final class TestHTTPServer {
    let process: Process
    let port: Int
    /// Where the server writes what it saw (`last-request.json`, `hits-<key>.txt`).
    let recordFolder: TemporaryFolder

    static let scriptPath = Binaries.packageRoot + "/Tests/Support/http_test_server.py"

    /// The interpreter: the system's, else the first `python3` on PATH.
    static let python: String? = {
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") { return "/usr/bin/python3" }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/python3" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    /// Starts the server; with `tls` (certificate and key files) it speaks HTTPS.
    init(tls: (certificate: String, key: String)? = nil) throws {
        let python = try #require(Self.python, "python3 is needed for the HTTP tests")
        recordFolder = try TemporaryFolder()
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments =
            [Self.scriptPath, recordFolder.path] + (tls.map { ["--tls", $0.certificate, $0.key] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let line = readLine(from: output.fileHandleForReading.fileDescriptor, within: .seconds(10))
        guard let line, line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            process.waitUntilExit()
            recordFolder.remove()
            throw TestHTTPServerError(message: "the test server did not start (got \(line ?? "nothing"))")
        }
        self.port = port
    }

    /// `http://127.0.0.1:<port><path>` (or https when the server speaks TLS).
    func url(_ path: String, scheme: String = "http") -> String {
        "\(scheme)://127.0.0.1:\(port)\(path)"
    }

    /// Kills the server (SIGKILL: it holds no state worth a clean exit) and removes its folder.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        recordFolder.remove()
    }

    /// Arrival times (Unix seconds) of the `/flaky/<key>/…` requests so far.
    func hits(_ key: String) -> [Double] {
        let text = (try? String(contentsOfFile: recordFolder.path + "/hits-\(key).txt", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { Double($0) }
    }

    /// The last `/echo` request as the server saw it.
    func lastRequest() throws -> EchoedRequest {
        let data = try Data(contentsOf: URL(fileURLWithPath: recordFolder.path + "/last-request.json"))
        return try JSONDecoder().decode(EchoedRequest.self, from: data)
    }
}

struct EchoedRequest: Decodable {
    var method: String
    var path: String
    var headers: [[String]]
    var body: String

    /// Values of the header `name` (case-insensitive), in order.
    func header(_ name: String) -> [String] {
        headers.filter { $0.first?.lowercased() == name.lowercased() }.compactMap { $0.last }
    }
}

struct TestHTTPServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Reads one line from `descriptor`, waiting at most `limit`; nil on EOF or timeout.
func readLine(from descriptor: Int32, within limit: Duration) -> String? {
    let deadline = ContinuousClock.now + limit
    var bytes: [UInt8] = []
    while ContinuousClock.now < deadline {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let left = ContinuousClock.now.duration(to: deadline)
        let milliseconds = Int32(
            max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
        )
        guard poll(&entry, 1, milliseconds) > 0 else { continue }
        var byte: UInt8 = 0
        guard read(descriptor, &byte, 1) == 1 else { return nil }
        if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
        bytes.append(byte)
    }
    return nil
}

/// A TCP port on 127.0.0.1 where nothing listens, held bound (without `listen`) so nobody else takes it
/// while the test runs: connecting to it is refused.
final class RefusingPort {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard descriptor >= 0, bound else {
            close(descriptor)
            throw TestHTTPServerError(message: "cannot bind a port on 127.0.0.1")
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(descriptor)
    }
}
