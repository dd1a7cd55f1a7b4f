import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGHUP reloads and SIGTERM shutdowns of the real schedd.
@Suite(.hangGuard)
struct DaemonSignalTests {
    @Test(
        "SIGHUP with a changed config replaces a job (keeping its history), adds and removes others, logs the summary"
    )
    func reloadGoodConfig() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.keep]
                every = "1h"
                command = ["true"]

                [jobs.change]
                every = "1s"
                shell = "echo old >> \(folder.path)/change"

                [jobs.drop]
                every = "1h"
                command = ["true"]
                """
        )
        #expect(daemon.waitForLog("event=run_finished", "job=change", "result=ok", timeout: 5))
        try daemon.writeConfig(
            """
            [jobs.keep]
            every = "1h"
            command = ["true"]

            [jobs.change]
            every = "1s"
            shell = "echo new >> \(folder.path)/change"

            [jobs.fresh]
            every = "1h"
            command = ["true"]
            """
        )
        daemon.send(SIGHUP)
        #expect(
            daemon.waitForLog(
                "event=reloaded",
                "added=1",
                "replaced=1",
                "removed=1",
                "unchanged=1",
                "added_jobs=fresh",
                "replaced_jobs=change",
                "removed_jobs=drop"
            )
        )
        #expect(
            waitUntil(timeout: 5) {
                (try? String(contentsOfFile: folder.path + "/change", encoding: .utf8))?.contains("new") == true
            }
        )
        // The replaced job kept its history: the run from before the reload is still listed.
        let before = try #require(daemon.lines(containing: "event=run_finished", "job=change").first)
        let history = try run("schedctl", ["history", "change", "--json", "--socket", folder.path + "/control.sock"])
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stdout.contains("\"run_id\":\(field("run", in: before))"))
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }

    @Test("SIGHUP with a broken config logs every error with file:line:column and keeps the old schedule")
    func reloadBadConfig() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let marks = folder.path + "/marks"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.tick]
                every = "1s"
                shell = "echo tick >> \(marks)"
                """
        )
        #expect(daemon.waitForLog("event=run_finished", "job=tick", "result=ok", timeout: 5))
        let file = try daemon.writeConfig(
            """
            [jobs.tick]
            every = "1s"
            shell = "echo changed >> \(marks)"

            [jobs.bad]
            cron = "0 3 * * Mnd"
            command = ["true"]
            timout = "1m"
            """
        )
        daemon.send(SIGHUP)
        #expect(daemon.waitForLog("event=reload_failed", "errors=2"))
        #expect(
            daemon.lines(containing: "event=config_error", "\(file):10:17: error: unknown weekday 'Mnd'").count == 1
        )
        #expect(daemon.lines(containing: "event=config_error", "\(file):12:1: error: ").count == 1)
        // The old job keeps firing with its old command.
        let before = daemon.lines(containing: "event=run_finished", "job=tick").count
        #expect(daemon.waitForLog("event=run_finished", "job=tick", "result=ok", count: before + 2, timeout: 5))
        let text = try String(contentsOfFile: marks, encoding: .utf8)
        #expect(!text.contains("changed"))
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }

    @Test("SIGTERM waits for a running job that finishes within shutdown_grace, then exits 0")
    func gracefulShutdownWaits() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let done = folder.path + "/done"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [scheduler]
                shutdown_grace = "10s"

                [jobs.work]
                at = "\(rfc3339(secondsFromNow: 2))"
                shell = "sleep 1; touch \(done)"
                """
        )
        #expect(daemon.waitForLog("event=run_started", "job=work", timeout: 10))
        let signalled = Date()
        daemon.send(SIGTERM)
        #expect(daemon.waitForLog("event=shutdown_started", "running=1"))
        #expect(daemon.waitForExit(timeout: 5) == 0)
        #expect(Date().timeIntervalSince(signalled) < 3)
        #expect(FileManager.default.fileExists(atPath: done))
        #expect(daemon.lines(containing: "event=run_finished", "job=work", "result=ok").count == 1)
    }

    @Test("SIGTERM stops a job still running when shutdown_grace ends, and exits 0")
    func gracefulShutdownKillsAfterGrace() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let pidFile = folder.path + "/pid"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [scheduler]
                shutdown_grace = "1s"

                [jobs.long]
                at = "\(rfc3339(secondsFromNow: 2))"
                shell = "sleep 60 & echo $! > \(pidFile); wait"
                """
        )
        #expect(daemon.waitForLog("event=run_started", "job=long", timeout: 10))
        #expect(waitUntil(timeout: 2) { FileManager.default.fileExists(atPath: pidFile) })
        let signalled = Date()
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 6) == 0)
        let elapsed = Date().timeIntervalSince(signalled)
        #expect(elapsed >= 0.9 && elapsed < 4, "took \(elapsed)s")
        #expect(daemon.lines(containing: "event=shutdown_grace_elapsed").count == 1)
        #expect(daemon.lines(containing: "event=run_finished", "job=long", "result=killed", "signal=15").count == 1)
        let grandchild = try #require(
            Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        )
        #expect(waitUntil(timeout: 2) { processIsGone(grandchild) })
    }

    @Test("a second SIGTERM skips the rest of shutdown_grace")
    func secondSignalSkipsGrace() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [scheduler]
                shutdown_grace = "30s"

                [jobs.long]
                at = "\(rfc3339(secondsFromNow: 2))"
                command = ["sleep", "60"]
                """
        )
        #expect(daemon.waitForLog("event=run_started", "job=long", timeout: 10))
        daemon.send(SIGTERM)
        #expect(daemon.waitForLog("event=shutdown_started"))
        #expect(daemon.waitForExit(timeout: 0.5) == nil, "exited before the second signal")
        let signalled = Date()
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
        #expect(Date().timeIntervalSince(signalled) < 2)
        #expect(daemon.lines(containing: "event=shutdown_forced").count == 1)
    }
}
