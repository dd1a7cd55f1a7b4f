import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Whether this tree's daemon serves the control socket (the daemon wires `ControlServer` in
/// `Daemon+Control.swift`; until that file is in the package these tests cannot run).
let daemonServesControlSocket = FileManager.default.fileExists(
    atPath: Binaries.packageRoot + "/Sources/SchedRuntime/Daemon/Daemon+Control.swift"
)

/// The real `schedd` driven by the real `schedctl` over the control socket.
@Suite(
    .hangGuard,
    .enabled(if: daemonServesControlSocket, "the daemon does not wire the control socket yet")
)
struct SchedctlDaemonTests {
    /// Runs `schedctl` against `daemon`'s private socket.
    func schedctl(_ daemon: DaemonProcess, _ arguments: [String]) throws -> ProcessResult {
        try run(
            "schedctl",
            arguments + ["--socket", daemon.folder.path + "/control.sock"],
            environment: ["NO_COLOR": "1"]
        )
    }

    /// Waits until the daemon answers `status` (it listens before READY=1, but the test cannot see that).
    func waitUntilAnswering(_ daemon: DaemonProcess) throws {
        let answering = waitUntil(timeout: 10) { (try? schedctl(daemon, ["status"]))?.status == 0 }
        try #require(answering, "schedd never answered on its control socket:\n\(daemon.log)")
    }

    func jsonArray(_ text: String) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(value as? [[String: Any]])
    }

    @Test("list shows every job with its next time; --json carries the documented fields")
    func list() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.new_year]
                cron = "0 0 1 1 *"
                timezone = "UTC"
                command = ["true"]

                [jobs.hourly]
                every = "1h"
                command = ["true"]

                [jobs.off]
                every = "1m"
                enabled = false
                command = ["true"]
                """
        )
        try waitUntilAnswering(daemon)
        let table = try schedctl(daemon, ["list"])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(table.stdout.contains("0 0 1 1 *"))
        #expect(lines.contains { $0.hasPrefix("off") && $0.hasSuffix("disabled") })

        let json = try schedctl(daemon, ["list", "--json"])
        #expect(json.status == 0)
        let jobs = try jsonArray(json.stdout)
        #expect(Set(jobs.compactMap { $0["id"] as? String }) == ["new_year", "hourly", "off"])
        for job in jobs {
            for key in ["id", "trigger", "state", "next", "last", "consecutive_failures"] {
                #expect(job.keys.contains(key), "\(job["id"] ?? "?") lacks \(key)")
            }
        }
        let year = Calendar(identifier: .gregorian).component(.year, from: Date()) + 1
        #expect(jobs.first { $0["id"] as? String == "new_year" }?["next"] as? String == "\(year)-01-01T00:00:00Z")
        let hourlyNext = jobs.first { $0["id"] as? String == "hourly" }?["next"] as? String
        let next = try #require(hourlyNext.flatMap(parseRFC3339))
        #expect(abs(next.timeIntervalSinceNow - 3600) < 60)
        #expect(jobs.first { $0["id"] as? String == "off" }?["state"] as? String == "disabled")
    }

    /// RFC 3339 with or without fractional seconds (an `every` job's next time keeps the daemon's
    /// start instant to the nanosecond).
    func parseRFC3339(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return plain.date(from: text) ?? fractional.date(from: text)
    }

    @Test("run-now prints the run id; --wait exits with the job's exit code and shows its output")
    func runNow() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.fails]
                cron = "0 0 1 1 *"
                shell = "echo about to fail; exit 7"

                [jobs.works]
                cron = "0 0 1 1 *"
                command = ["true"]
                """
        )
        try waitUntilAnswering(daemon)
        let started = try schedctl(daemon, ["run-now", "works"])
        #expect(started.status == 0)
        #expect(UInt64(started.stdout.trimmingCharacters(in: .newlines)) != nil, "run id: \(started.stdout)")

        let waited = try schedctl(daemon, ["run-now", "fails", "--wait"])
        #expect(waited.status == 7)
        #expect(UInt64(waited.stdout.trimmingCharacters(in: .newlines)) != nil)
        #expect(waited.stderr.contains("about to fail"))
        #expect(!daemon.lines(containing: "run-now", "uid=\(getuid())").isEmpty)

        let ok = try schedctl(daemon, ["run-now", "works", "--wait"])
        #expect(ok.status == 0)

        let unknown = try schedctl(daemon, ["run-now", "fail"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("did you mean 'fails'"))
    }

    @Test("pause stops firings, resume restarts them")
    func pauseAndResume() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let marks = folder.path + "/marks"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.tick]
                every = "1s"
                shell = "echo x >> \(marks)"
                """
        )
        try waitUntilAnswering(daemon)
        #expect(daemon.waitForLog("event=run_finished", "job=tick", count: 1, timeout: 5))
        let pause = try schedctl(daemon, ["pause", "tick"])
        #expect(pause.status == 0, "\(pause.stderr)")
        #expect(try schedctl(daemon, ["list", "--json"]).stdout.contains("\"state\":\"paused\""))
        usleep(300_000)  // a run started just before the pause may still finish
        let countAtPause = lineCount(marks)
        usleep(2_500_000)
        #expect(lineCount(marks) == countAtPause, "fired while paused")

        let resume = try schedctl(daemon, ["resume", "tick"])
        #expect(resume.status == 0, "\(resume.stderr)")
        #expect(waitUntil(timeout: 5) { lineCount(marks) >= countAtPause + 2 })
    }

    func lineCount(_ path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test("reload with a good config applies it; a broken one is refused with its errors and exit 1")
    func reload() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.first]
                every = "1h"
                command = ["true"]
                """
        )
        try waitUntilAnswering(daemon)
        try daemon.writeConfig(
            """
            [jobs.first]
            every = "1h"
            command = ["true"]

            [jobs.second]
            every = "2h"
            command = ["true"]
            """
        )
        let good = try schedctl(daemon, ["reload"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(try schedctl(daemon, ["list"]).stdout.contains("second"))

        try daemon.writeConfig(
            """
            [jobs.first]
            cron = "0 0 * * Mnd"
            command = ["true"]
            """
        )
        let bad = try schedctl(daemon, ["reload"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("schedules.toml:"))
        #expect(bad.stderr.contains("error:"))
        let after = try schedctl(daemon, ["list"])
        #expect(after.stdout.contains("second"), "the old schedule must stay")
    }

    @Test("history after several runs, newest first, with --limit and --json")
    func history() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.tick]
                every = "1s"
                shell = "echo hello from tick"
                """
        )
        try waitUntilAnswering(daemon)
        #expect(daemon.waitForLog("event=run_finished", "job=tick", count: 3, timeout: 8))
        let table = try schedctl(daemon, ["history", "tick"])
        #expect(table.status == 0)
        #expect(table.stdout.hasPrefix("RUN"))
        #expect(table.stdout.contains("ok"))
        let json = try schedctl(daemon, ["history", "tick", "--json", "--limit", "2"])
        #expect(json.status == 0)
        let runs = try jsonArray(json.stdout)
        #expect(runs.count == 2)
        let ids = runs.compactMap { ($0["run_id"] as? NSNumber)?.int64Value }
        #expect(ids.count == 2 && ids[0] > ids[1], "newest first: \(ids)")
        #expect(runs.allSatisfy { $0["result"] as? String == "ok" && $0["job"] as? String == "tick" })
    }

    @Test("garbage, 1 MB without a newline, a silent client and 200 clients at once; the job keeps time")
    func hostileClients() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let marks = folder.path + "/marks"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.tick]
                every = "1s"
                shell = 'date +%s.%N >> \(marks)'
                """
        )
        try waitUntilAnswering(daemon)
        #expect(daemon.waitForLog("event=run_finished", "job=tick", count: 1, timeout: 5))
        let path = folder.path + "/control.sock"

        let garbage = try UnixClient(path)
        try garbage.send(Array("{{{ this is not json\n".utf8))
        #expect(garbage.readLine()?.contains("\"bad_request\"") == true)

        let silent = try UnixClient(path)
        let huge = try UnixClient(path)
        var sent = 0
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 64 * 1024)
        while sent < 1 << 20, (try? huge.send(chunk)) != nil { sent += chunk.count }
        #expect(huge.readLine()?.contains("request_too_large") == true)

        let crowd = try (0..<200).map { _ in try UnixClient(path) }
        for client in crowd { try client.send(Array("{\"version\":1,\"command\":\"status\"}\n".utf8)) }
        let answered = crowd.filter { $0.readLine()?.contains("\"ok\":true") == true }.count
        #expect(answered == 200)
        for client in crowd { client.close() }
        silent.close()
        huge.close()
        garbage.close()

        // Meanwhile, and after, the job kept firing about once a second.
        func stamps() -> [Double] {
            ((try? String(contentsOfFile: marks, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
                Double($0)
            }
        }
        let before = stamps().count
        #expect(waitUntil(timeout: 6) { stamps().count >= before + 2 })
        let stamps = stamps()
        #expect(stamps.count >= 3)
        for (earlier, later) in zip(stamps, stamps.dropFirst()) {
            #expect(later - earlier < 1.6, "a firing was late by \(later - earlier - 1) s")
        }
        #expect(try schedctl(daemon, ["status"]).status == 0)
    }

    @Test(
        "a uid outside root, the daemon's user and socket_group is refused mutating commands",
        .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"))
    )
    func nobodyIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(chmod(folder.path, 0o755) == 0)
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [scheduler]
                socket_mode = "0666"

                [jobs.tick]
                every = "1h"
                command = ["true"]
                """
        )
        try waitUntilAnswering(daemon)
        let socket = folder.path + "/control.sock"
        let schedctlPath = try Binaries.path("schedctl")
        let asNobody = ["--reuid=65534", "--regid=65534", "--clear-groups", schedctlPath]
        let list = try runProgram("/usr/bin/setpriv", asNobody + ["list", "--socket", socket])
        #expect(list.status == 0, "\(list.stderr)")
        for command in [["pause", "tick"], ["run-now", "tick"], ["reload"]] {
            let refused = try runProgram("/usr/bin/setpriv", asNobody + command + ["--socket", socket])
            #expect(refused.status == 1, "\(command)")
            #expect(refused.stderr.contains("may not"), "\(command): \(refused.stderr)")
        }
        #expect(try schedctl(daemon, ["list", "--json"]).stdout.contains("\"state\":\"scheduled\""))
    }
}

/// A blocking Unix-socket client for misbehaving on purpose.
final class UnixClient {
    let descriptor: Int32

    init(_ path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            Glibc.close(descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    /// Writes all of `bytes`; throws when the daemon has closed the connection.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            offset += written
        }
    }

    /// One line (without the newline), or nil on EOF, error or 10 s of silence.
    func readLine() -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 10_000) == 1 else { return nil }
            guard recv(descriptor, &byte, 1, 0) == 1 else {
                return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }

    func close() {
        Glibc.close(descriptor)
    }
}
