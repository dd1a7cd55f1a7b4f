import Foundation
import SchedCore
import Testing

@testable import SchedRuntime

/// The real `schedctl` binary against a `ControlServer` with a fake handler: argument handling,
/// output, exit codes and refusals as an operator sees them, without needing the daemon.
@Suite("schedctl against a fake control server", .serialized, .hangGuard)
struct SchedctlAgainstFakeServerTests {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The built `schedctl` next to this test bundle (as `swift build --build-tests` leaves it).
    static let schedctlPath: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        return ((executable as NSString).deletingLastPathComponent as NSString).appendingPathComponent("schedctl")
    }()

    static var schedctlBuilt: Bool { FileManager.default.isExecutableFile(atPath: schedctlPath) }

    func schedctl(_ arguments: [String], environment: [String: String] = [:], asUser user: UInt32? = nil) throws
        -> Output
    {
        let process = Process()
        var arguments = arguments
        if let user {
            // setpriv drops to the uid and its gid with no supplementary groups, like a plain login.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            arguments = ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", Self.schedctlPath] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: Self.schedctlPath)
        }
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1", "TZ": "UTC"].merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }

    @Test("list prints a table and --json the same jobs as objects", .enabled(if: schedctlBuilt))
    func list() throws {
        let harness = try ControlServerHarness(jobCount: 3)
        defer { harness.shutdown() }
        let table = try schedctl(["list", "--socket", harness.socketPath])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(lines.first?.contains("TRIGGER") == true)
        #expect(lines[1].contains("job_0") && lines[1].contains("paused") && lines[1].contains("failed (exit 1)"))
        #expect(!table.stdout.contains("\u{1B}"))

        let json = try schedctl(["--socket", harness.socketPath, "list", "--json"])
        #expect(json.status == 0)
        let value = try JSONParser().parse(json.stdout.trimmingCharacters(in: .newlines))
        let jobs = try #require(value.arrayValue)
        #expect(jobs.count == 3)
        #expect(jobs[1]["id"] == .string("job_1"))
        #expect(jobs[1]["next"] == .string("2026-11-28T03:05:01Z"))
        #expect(jobs[1]["last"]?["result"] == .string("ok"))
    }

    @Test("SCHEDD_SOCKET picks the socket when --socket is absent", .enabled(if: schedctlBuilt))
    func environmentSocket() throws {
        let harness = try ControlServerHarness()
        defer { harness.shutdown() }
        let result = try schedctl(["status"], environment: ["SCHEDD_SOCKET": harness.socketPath])
        #expect(result.status == 0)
        #expect(result.stdout.contains("config:   /etc/schedd/schedules.toml"))
        #expect(result.stdout.contains("socket:   \(harness.socketPath)"))
    }

    @Test("run-now prints the run id; --wait exits with the job's code and shows why", .enabled(if: schedctlBuilt))
    func runNow() throws {
        let harness = try ControlServerHarness(waitDelay: .milliseconds(50))
        defer { harness.shutdown() }
        let started = try schedctl(["run-now", "backup", "--socket", harness.socketPath])
        #expect(started.status == 0)
        #expect(started.stdout == "7\n")
        let waited = try schedctl(["run-now", "backup", "--wait", "--socket", harness.socketPath])
        #expect(waited.status == 3)
        #expect(waited.stdout == "7\n")
        #expect(waited.stderr.contains("failed (exit 3)"))
        #expect(harness.seen.all.map(\.0).contains(.runNow(job: "backup", wait: true, force: false)))
    }

    @Test("an unknown job id gets a did-you-mean and exit 1", .enabled(if: schedctlBuilt))
    func unknownJob() throws {
        let harness = try ControlServerHarness()
        defer { harness.shutdown() }
        let result = try schedctl(["pause", "bakup", "--socket", harness.socketPath])
        #expect(result.status == 1)
        #expect(result.stderr.contains("unknown job 'bakup'; did you mean 'backup'?"))
    }

    @Test("with no daemon the error names the socket and suggests systemctl", .enabled(if: schedctlBuilt))
    func daemonNotRunning() throws {
        let directory = try ControlServerHarness.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/control.sock"
        let result = try schedctl(["list", "--socket", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(path))
        #expect(result.stderr.contains("systemctl status schedd"))
    }

    @Test(
        "a uid outside root, the daemon's user and the socket group may read but not mutate",
        .enabled(
            if: schedctlBuilt && geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
        )
    )
    func nobodyIsRefused() throws {
        let harness = try ControlServerHarness { $0.socketMode = 0o666 }
        defer { harness.shutdown() }
        #expect(chmod(harness.directory, 0o755) == 0)
        let nobody: UInt32 = 65534
        let list = try schedctl(["list", "--socket", harness.socketPath], asUser: nobody)
        #expect(list.status == 0, "\(list.stderr)")
        let pause = try schedctl(["pause", "backup", "--socket", harness.socketPath], asUser: nobody)
        #expect(pause.status == 1)
        #expect(pause.stderr.contains("uid 65534 may not pause"))
        #expect(!harness.seen.all.contains { $0.0 == .pause(job: "backup") })
        #expect(harness.logSink.lines.contains { $0.contains("control request refused") && $0.contains("uid=65534") })
    }
}
