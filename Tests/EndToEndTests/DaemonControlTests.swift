import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real schedd driven by the real schedctl over its control socket.
@Suite(.hangGuard)
struct DaemonControlTests {
    @Test("READY=1 comes only once the socket answers; list, status, run-now --wait, history, pause, resume, metrics")
    func commands() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let notify = try NotifySocket()
        let socket = folder.path + "/control.sock"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.fails]
                every = "1h"
                shell = "echo trouble; exit 3"

                [jobs.works]
                every = "1h"
                command = ["true"]
                """,
            environment: ["NOTIFY_SOCKET": notify.path]
        )
        #expect(notify.waitForMessage(containing: "READY=1", timeout: 10))
        // Ready means reachable: no retry needed.
        let status = try run("schedctl", ["status", "--json", "--socket", socket])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("\"pid\":\(daemon.pid)"))
        #expect(status.stdout.contains("\"jobs\":2"))

        let list = try run("schedctl", ["--socket", socket, "list", "--json"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("\"id\":\"fails\"") && list.stdout.contains("\"id\":\"works\""))

        // run-now prints the run id; --wait passes the job's exit code through.
        let started = try run("schedctl", ["run-now", "works", "--socket", socket])
        #expect(started.status == 0)
        #expect(UInt64(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) != nil)
        let waited = try run("schedctl", ["run-now", "fails", "--wait", "--socket", socket])
        #expect(waited.status == 3)
        #expect(waited.stderr.contains("trouble"))

        let history = try run("schedctl", ["history", "fails", "--json", "--socket", socket])
        #expect(history.status == 0)
        #expect(history.stdout.contains("\"result\":\"failed\""))
        #expect(history.stdout.contains("\"exit_code\":3"))

        #expect(try run("schedctl", ["pause", "works", "--socket", socket]).status == 0)
        #expect(try run("schedctl", ["list", "--json", "--socket", socket]).stdout.contains("\"state\":\"paused\""))
        #expect(try run("schedctl", ["resume", "works", "--socket", socket]).status == 0)
        #expect(!(try run("schedctl", ["list", "--json", "--socket", socket]).stdout.contains("\"state\":\"paused\"")))

        let unknown = try run("schedctl", ["run-now", "work", "--socket", socket])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("unknown job 'work'"))

        let metrics = try run("schedctl", ["metrics", "--socket", socket])
        #expect(metrics.status == 0)
        #expect(metrics.stdout.contains("schedd_job_runs_total{job=\"fails\",result=\"failed\"} 1"))

        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket file is removed at exit")
    }

    @Test("schedctl reload applies a good config (exit 0) and reports a bad one (exit 1), keeping the old")
    func reload() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let socket = folder.path + "/control.sock"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.one]
                every = "1h"
                command = ["true"]
                """
        )
        #expect(daemon.waitForLog("event=control_listening", timeout: 10))
        try daemon.writeConfig(
            "[jobs.one]\nevery = \"1h\"\ncommand = [\"true\"]\n\n[jobs.two]\nevery = \"2h\"\ncommand = [\"true\"]\n"
        )
        let good = try run("schedctl", ["reload", "--socket", socket])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(try run("schedctl", ["list", "--json", "--socket", socket]).stdout.contains("\"id\":\"two\""))

        try daemon.writeConfig("[jobs.one]\nevery = \"soon\"\ncommand = [\"true\"]\n")
        let bad = try run("schedctl", ["reload", "--socket", socket])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("schedules.toml:"))
        let list = try run("schedctl", ["list", "--json", "--socket", socket]).stdout
        #expect(list.contains("\"id\":\"two\""), "the old schedule keeps running")
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }

    @Test("a second daemon on the same socket refuses to start, exit 1")
    func socketInUse() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let config = "[jobs.one]\nevery = \"1h\"\ncommand = [\"true\"]\n"
        let first = try DaemonProcess(folder: folder, config: config)
        #expect(first.waitForLog("event=control_listening", timeout: 10))
        let second = try run("schedd", ["--config", folder.path + "/schedules.toml"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("another schedd is running"))
        first.send(SIGTERM)
        #expect(first.waitForExit(timeout: 5) == 0)
    }

    @Test("run-now --wait on an http check against a closed port fails with the probe's reason; the daemon keeps going")
    func httpJobFailsCleanly() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let socket = folder.path + "/control.sock"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.probe]
                every = "1h"
                http = { url = "http://127.0.0.1:9/health" }
                """
        )
        #expect(daemon.waitForLog("event=control_listening", timeout: 10))
        let waited = try run("schedctl", ["run-now", "probe", "--wait", "--json", "--socket", socket])
        #expect(waited.status == 1)
        #expect(waited.stdout.contains("\"reason\":\"connection refused (127.0.0.1:9)\""))
        #expect(try run("schedctl", ["status", "--socket", socket]).status == 0)
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }
}
