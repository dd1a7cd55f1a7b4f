import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The repository's `schedules.toml`, run by the real daemon.
@Suite(.hangGuard)
struct DaemonExampleConfigTests {
    static let hasSQLite = FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")

    @Test(
        "the example cleanup job, pointed at a real SQLite database, deletes exactly the expired rows",
        .enabled(if: hasSQLite)
    )
    func cleanupDeletesExpiredRows() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = folder.path + "/app.db"
        let now = Int(Date().timeIntervalSince1970)
        let day = 86_400
        let setup = try runProgram(
            "/usr/bin/sqlite3",
            [
                database,
                """
                CREATE TABLE sessions (id INTEGER PRIMARY KEY, expires_at INTEGER);
                CREATE TABLE notifications (id INTEGER PRIMARY KEY, created_at INTEGER);
                INSERT INTO sessions VALUES (1, \(now - 100)), (2, \(now - day)), (3, \(now + 3600)), (4, \(now + day));
                INSERT INTO notifications VALUES (1, \(now - 40 * day)), (2, \(now - 2 * day)), (3, \(now - 60 * day));
                """,
            ]
        )
        #expect(setup.status == 0, "\(setup.stderr)")

        // The example as shipped, with the production paths, user and trigger swapped for the test's.
        var config = try String(contentsOfFile: Binaries.packageRoot + "/schedules.toml", encoding: .utf8)
        let cron = try #require(config.range(of: "cron = \"0 0 * * *\""))
        config.replaceSubrange(cron, with: "at = \"\(rfc3339(secondsFromNow: 2))\"")
        config = config.replacingOccurrences(of: "/var/lib/app/app.db", with: database)
            .replacingOccurrences(of: "\"/var/lib/schedd\"", with: "\"\(folder.path)/state\"")
            .replacingOccurrences(of: "\"/run/schedd/control.sock\"", with: "\"\(folder.path)/control.sock\"")
            .replacingOccurrences(of: "user = \"app\"\n", with: "")
            .replacingOccurrences(of: "socket_group = \"schedd\"\n", with: "")
        let daemon = try DaemonProcess(folder: folder, config: config)
        #expect(
            daemon.waitForLog("event=run_finished", "job=cleanup_expired_data", "result=ok", timeout: 6),
            "\(daemon.log)"
        )
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)

        let sessions = try runProgram(
            "/usr/bin/sqlite3",
            [database, "SELECT group_concat(id) FROM (SELECT id FROM sessions ORDER BY id);"]
        )
        #expect(sessions.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "3,4")
        let notifications = try runProgram(
            "/usr/bin/sqlite3",
            [database, "SELECT group_concat(id) FROM (SELECT id FROM notifications ORDER BY id);"]
        )
        #expect(notifications.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
    }
}

/// The repository's `schedules.toml`, unchanged, under a daemon that is not root.
@Suite(.hangGuard)
struct DaemonUnprivilegedTests {
    static let canDropPrivileges = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    @Test(
        "as nobody, the example loads, warns about user = \"app\", and listens under XDG_RUNTIME_DIR",
        .enabled(if: canDropPrivileges)
    )
    func exampleAsNobody() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        chmod(folder.path, 0o777)
        let config = try folder.write(
            try String(contentsOfFile: Binaries.packageRoot + "/schedules.toml", encoding: .utf8),
            to: "schedules.toml"
        )
        let runtime = folder.path + "/run"
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
        chmod(runtime, 0o777)
        let logPath = folder.path + "/schedd.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = [
            "--reuid=65534", "--regid=65534", "--clear-groups", try Binaries.path("schedd"), "--config", config,
        ]
        process.environment = [
            "PATH": "/usr/bin:/bin", "HOME": folder.path, "XDG_RUNTIME_DIR": runtime,
            "XDG_STATE_HOME": folder.path + "/state",
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        let log = { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
        let socket = runtime + "/schedd/control.sock"
        #expect(waitUntil(timeout: 10) { log().contains("event=control_listening socket=\(socket)") }, "\(log())")
        #expect(
            log().contains(
                "event=job_cannot_run job=cleanup_expired_data reason=\"cannot run as user 'app': schedd is not running as root\""
            )
        )
        let status = try run("schedctl", ["status", "--json", "--socket", socket])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("\"jobs\":3"))
        kill(process.processIdentifier, SIGTERM)
        #expect(waitUntil(timeout: 5) { !process.isRunning })
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
