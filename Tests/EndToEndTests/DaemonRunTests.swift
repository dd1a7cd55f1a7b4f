import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real schedd running real jobs: timing, environment, output, failures, timeouts, identity.
@Suite(.hangGuard)
struct DaemonRunTests {
    @Test("an every = \"1s\" job fires each second, on time, with SCHEDD_* in its environment")
    func firesEverySecond() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let marks = folder.path + "/marks"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.tick]
                every = "1s"
                shell = 'echo "$SCHEDD_JOB_ID $SCHEDD_RUN_ID $SCHEDD_SCHEDULED_TIME $(date +%s.%N)" >> \(marks)'
                """
        )
        #expect(daemon.waitForLog("event=run_finished", "job=tick", "result=ok", count: 3, timeout: 6))
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)

        let lines = try String(contentsOfFile: marks, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 3)
        var previousScheduled: Double?
        for line in lines {
            let parts = line.split(separator: " ")
            try #require(parts.count == 4)
            #expect(parts[0] == "tick")
            #expect(Int(parts[1]) != nil)
            let scheduled = try #require(iso8601Seconds(String(parts[2])))
            let ran = try #require(Double(parts[3]))
            // Started after its scheduled instant, and promptly (generous for a loaded 2-core box).
            #expect(ran >= scheduled - 0.001)
            #expect(ran - scheduled < 0.5, "started \(ran - scheduled)s late")
            if let previousScheduled { #expect(abs(scheduled - previousScheduled - 1) < 0.01) }
            previousScheduled = scheduled
        }
        // Lateness is logged per run.
        #expect(!daemon.lines(containing: "event=run_started", "lateness_ms=").isEmpty)
    }

    @Test("an at trigger fires once at its instant")
    func atTrigger() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let marker = folder.path + "/fired"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.once]
                at = "\(rfc3339(secondsFromNow: 2))"
                command = ["touch", "\(marker)"]
                """
        )
        #expect(daemon.waitForLog("event=run_finished", "job=once", "result=ok", timeout: 6))
        #expect(FileManager.default.fileExists(atPath: marker))
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
        #expect(daemon.lines(containing: "event=run_started", "job=once").count == 1)
    }

    @Test("stdout and stderr lines are logged with job and run, and the output tail is kept")
    func outputCaptured() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.talk]
                at = "\(rfc3339(secondsFromNow: 2))"
                shell = "echo 'hello out'; echo 'hello err' >&2; exit 3"
                """
        )
        #expect(daemon.waitForLog("event=run_finished", "job=talk", "result=failed", "exit=3", timeout: 5))
        #expect(
            daemon.lines(containing: "event=output", "job=talk", "run=", "stream=stdout", "line=\"hello out\"").count
                == 1
        )
        #expect(daemon.lines(containing: "event=output", "job=talk", "stream=stderr", "line=\"hello err\"").count == 1)
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }

    @Test("past log_output_lines a run's output is counted, not logged; run_started names the pid")
    func outputLogBudget() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.flood]
                at = "\(rfc3339(secondsFromNow: 2))"
                shell = "echo pid=$$; seq 2 2500"
                log_output_lines = 100
                """
        )
        #expect(daemon.waitForLog("event=run_finished", "job=flood", "result=ok", timeout: 6))
        let output = daemon.lines(containing: "event=output ", "job=flood")
        #expect(output.count == 100)
        #expect(output.last?.contains("line=100") == true, "\(output.last ?? "")")
        #expect(daemon.lines(containing: "event=output_limit_reached", "job=flood", "limit=100").count == 1)
        #expect(daemon.lines(containing: "event=output_suppressed", "job=flood", "lines=2400").count == 1)
        // The shell's own pid, which it printed first, is the pid run_started logged.
        let pid = try #require(output.first?.split(separator: " ").first { $0.hasPrefix("line=") })
        let printed = pid.dropFirst("line=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        #expect(printed.hasPrefix("pid="))
        #expect(daemon.lines(containing: "event=run_started", "job=flood", " \(printed)").count == 1)
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }

    @Test("a missing binary is a failed run with a clear reason, and the daemon keeps scheduling")
    func missingBinary() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.broken]
                every = "1s"
                command = ["/nonexistent/schedd-test-program", "--flag"]
                """
        )
        #expect(
            daemon.waitForLog(
                "event=run_finished",
                "job=broken",
                "result=failed",
                "reason=\"cannot start '/nonexistent/schedd-test-program': No such file or directory\"",
                count: 2,
                timeout: 6
            )
        )
        #expect(daemon.process.isRunning)
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }

    @Test("a timed-out job's whole process group dies, grandchildren too, even when it ignores SIGTERM")
    func timeoutKillsProcessGroup() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let pids = folder.path + "/pids"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.stuck]
                at = "\(rfc3339(secondsFromNow: 2))"
                # sh and everything it starts ignore SIGTERM; only the SIGKILL after kill_grace ends them.
                shell = "trap '' TERM; sleep 60 & echo $! > \(pids); sh -c 'sleep 60 & echo $! >> \(pids); wait' & wait"
                timeout = "500ms"
                kill_grace = "500ms"
                """
        )
        #expect(daemon.waitForLog("event=run_finished", "job=stuck", "result=timeout", "signal=9", timeout: 8))
        let grandchildren = try String(contentsOfFile: pids, encoding: .utf8).split(separator: "\n").compactMap {
            Int32($0)
        }
        #expect(grandchildren.count == 2)
        for pid in grandchildren {
            #expect(waitUntil(timeout: 2) { processIsGone(pid) }, "process \(pid) survived the timeout")
        }
        // Timed out after ~0.5 s plus ~0.5 s kill grace.
        let line = try #require(daemon.lines(containing: "event=run_finished", "job=stuck").first)
        let duration = try #require(Int(field("duration_ms", in: line)))
        #expect(duration >= 900 && duration < 3000)
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }

    @Test("a job with user = \"nobody\" runs as nobody", .enabled(if: getuid() == 0))
    func runsAsNobody() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        chmod(folder.path, 0o777)
        let output = folder.path + "/who"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.whoami]
                at = "\(rfc3339(secondsFromNow: 2))"
                shell = "echo \\"$(id -un) $USER $HOME\\" > \(output)"
                user = "nobody"
                working_dir = "\(folder.path)"
                """
        )
        #expect(daemon.waitForLog("event=run_finished", "job=whoami", "result=ok", timeout: 5))
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.hasPrefix("nobody nobody "))
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }
}

/// Seconds since the epoch of an RFC 3339 UTC time with optional fraction (`…T10:00:01.25Z`).
func iso8601Seconds(_ text: String) -> Double? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    var trimmed = text
    // ISO8601DateFormatter handles at most milliseconds; keep the whole part and add the fraction.
    var fraction = 0.0
    if let dot = text.firstIndex(of: "."), let zone = text.lastIndex(of: "Z") {
        fraction = Double("0" + text[dot..<zone]) ?? 0
        trimmed = String(text[..<dot]) + "Z"
    }
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: trimmed).map { $0.timeIntervalSince1970 + fraction }
}

/// The value of logfmt field `key` in `line` (unquoted values only).
func field(_ key: String, in line: String) -> String {
    for part in line.split(separator: " ") where part.hasPrefix(key + "=") {
        return String(part.dropFirst(key.count + 1))
    }
    return ""
}

/// `on_failure` hooks run by the real daemon.
@Suite(.hangGuard)
struct DaemonFailureHookTests {
    @Test("on_failure runs once after the last attempt fails, with SCHEDD_RESULT and the output tail on stdin")
    func hookAfterLastAttempt() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let hookOutput = folder.path + "/hook"
        try folder.write(
            "#!/bin/sh\necho \"$SCHEDD_JOB_ID $SCHEDD_RESULT $SCHEDD_EXIT_CODE $SCHEDD_ATTEMPT $(cat)\" >> \(hookOutput)\n",
            to: "hook.sh"
        )
        chmod(folder.path + "/hook.sh", 0o755)
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [jobs.flaky]
                at = "\(rfc3339(secondsFromNow: 2))"
                shell = "echo broken; exit 4"
                retry = { attempts = 1, backoff = "200ms" }
                on_failure = ["\(folder.path)/hook.sh"]
                """
        )
        #expect(daemon.waitForLog("event=run_finished", "job=flaky", "result=failed", count: 2, timeout: 10))
        #expect(waitUntil(timeout: 5) { FileManager.default.fileExists(atPath: hookOutput) })
        _ = waitUntil(timeout: 1) { false }  // a second, wrong hook run would show up by now
        let lines = try String(contentsOfFile: hookOutput, encoding: .utf8).split(separator: "\n")
        #expect(lines == ["flaky failed 4 2 broken"])
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }
}
