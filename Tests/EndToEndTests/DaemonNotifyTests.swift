import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// sd_notify as systemd would see it: a test-owned datagram socket in `NOTIFY_SOCKET`.
@Suite(.hangGuard)
struct DaemonNotifyTests {
    @Test("READY=1 with STATUS, WATCHDOG=1 at half WATCHDOG_USEC, RELOADING=1 with MONOTONIC_USEC, STOPPING=1")
    func lifecycleMessages() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let socket = try NotifySocket()
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.backup]
                every = "3h"
                command = ["true"]

                [jobs.soon]
                every = "2h"
                command = ["true"]
                """,
            environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "400000"]
        )
        #expect(socket.waitForMessage(containing: "READY=1"))
        let ready = try #require(socket.messages.first { $0.contains("READY=1") })
        #expect(
            ready.contains("STATUS=2 jobs; next: soon in 1h 59m") || ready.contains("STATUS=2 jobs; next: soon in 2h")
        )

        // Watchdog every 200 ms: at least three pings in a second.
        #expect(socket.waitForMessage(containing: "WATCHDOG=1", occurrences: 3, timeout: 2))

        daemon.send(SIGHUP)
        #expect(socket.waitForMessage(containing: "RELOADING=1"))
        let reloading = try #require(socket.messages.first { $0.contains("RELOADING=1") })
        let microseconds = reloading.split(separator: "\n").first { $0.hasPrefix("MONOTONIC_USEC=") }?
            .dropFirst("MONOTONIC_USEC=".count)
        let value = try #require(microseconds.flatMap { UInt64($0) })
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nowMicroseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        #expect(value <= nowMicroseconds && nowMicroseconds - value < 5_000_000)
        #expect(socket.waitForMessage(containing: "READY=1", occurrences: 2))

        daemon.send(SIGTERM)
        #expect(socket.waitForMessage(containing: "STOPPING=1"))
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }

    @Test("a failed reload still answers READY=1, with a STATUS saying it failed")
    func failedReloadStatus() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let socket = try NotifySocket()
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.backup]
                every = "3h"
                command = ["true"]
                """,
            environment: ["NOTIFY_SOCKET": socket.path]
        )
        #expect(socket.waitForMessage(containing: "READY=1"))
        try daemon.writeConfig("[jobs.backup]\nevery = \"often\"\n")
        daemon.send(SIGHUP)
        #expect(socket.waitForMessage(containing: "STATUS=reload failed ("))
        #expect(socket.messages.last?.contains("READY=1") == true)
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }

    @Test("STATUS= follows the schedule as runs happen, without READY=1")
    func statusUpdates() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let socket = try NotifySocket()
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.tick]
                every = "3s"
                command = ["true"]
                """,
            environment: ["NOTIFY_SOCKET": socket.path]
        )
        #expect(socket.waitForMessage(containing: "READY=1", timeout: 10))
        // After the first run (at 3 s) a plain status message (no READY/RELOADING) follows within a
        // second, counting down to the next firing.
        #expect(daemon.waitForLog("event=run_finished", "job=tick", timeout: 10))
        #expect(socket.waitForMessage(containing: "STATUS=1 job; next: tick in", occurrences: 2, timeout: 5))
        #expect(socket.messages.contains { $0.hasPrefix("STATUS=1 job; next: tick in") })
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }
}
