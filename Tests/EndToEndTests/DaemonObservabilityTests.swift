import Foundation
import SchedTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Metrics, logs and failure hooks of the real schedd: scrapes over HTTP, the metrics file, log lines
/// in both formats, and `on_failure` after the last retry.
@Suite(.hangGuard)
struct DaemonObservabilityTests {
    /// Scrapes `/metrics` and parses it strictly.
    static func scrape(_ port: UInt16) throws -> Exposition {
        let (status, body) = try #require(
            httpStatusAndBody(httpExchange(port: port, "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n"))
        )
        #expect(status == 200)
        let exposition = try Exposition(body)
        try exposition.checkHistograms()
        return exposition
    }

    static func seconds(_ text: String?) -> Double? { text.flatMap(Double.init) }

    @Test("a scrape after known runs has exact counts, timestamps and buckets; reloads are counted")
    func scrapeAfterKnownRuns() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let port = freeLocalPort()
        try FileManager.default.createDirectory(atPath: folder.path + "/metrics", withIntermediateDirectories: true)
        let start = rfc3339(secondsFromNow: 2)
        let startSeconds = try #require(iso8601Seconds(start))
        let config = """
            [scheduler]
            metrics_listen = "127.0.0.1:\(port)"
            metrics_file = "\(folder.path)/metrics/schedd.prom"

            [jobs.good]
            every = "1s"
            start = "\(start)"
            end = "\(rfc3339(secondsFromNow: 4))"
            command = ["true"]

            [jobs.fail]
            at = "\(rfc3339(secondsFromNow: 2))"
            shell = "echo boom; exit 3"

            [jobs.slow]
            at = "\(rfc3339(secondsFromNow: 2))"
            command = ["sleep", "5"]
            timeout = "300ms"

            [jobs.later]
            at = "2099-01-01T00:00:00Z"
            command = ["true"]
            """
        let daemon = try DaemonProcess(folder: folder, config: config)
        #expect(daemon.waitForLog("event=metrics_listening", "address=127.0.0.1:\(port)"))
        #expect(daemon.waitForLog("event=run_finished", "job=good", "result=ok", count: 2, timeout: 10))
        #expect(daemon.waitForLog("event=run_finished", "job=fail", "result=failed", timeout: 5))
        #expect(daemon.waitForLog("event=run_finished", "job=slow", "result=timeout", timeout: 5))

        var metrics = try Self.scrape(port)
        let runs = { (job: String, result: String) in
            metrics.value("schedd_job_runs_total", ["job": job, "result": result])
        }
        for result in ["ok", "failed", "timeout", "killed", "missed", "skipped", "interrupted"] {
            #expect(runs("good", result) == (result == "ok" ? "2" : "0"), "good \(result)")
            #expect(runs("fail", result) == (result == "failed" ? "1" : "0"), "fail \(result)")
            #expect(runs("slow", result) == (result == "timeout" ? "1" : "0"), "slow \(result)")
            #expect(runs("later", result) == "0")
        }
        // The last success of `good`: the end of its second run, scheduled at start + 2 s.
        let lastSuccess = try #require(
            Self.seconds(metrics.value("schedd_job_last_success_timestamp_seconds", ["job": "good"]))
        )
        #expect(lastSuccess >= startSeconds + 2 && lastSuccess < startSeconds + 4, "\(lastSuccess - startSeconds)")
        #expect(lastSuccess <= Date().timeIntervalSince1970)
        #expect(metrics.value("schedd_job_last_success_timestamp_seconds", ["job": "fail"]) == "0")
        let lastStart = try #require(
            Self.seconds(metrics.value("schedd_job_last_run_start_timestamp_seconds", ["job": "good"]))
        )
        #expect(lastStart >= startSeconds + 2 && lastStart <= lastSuccess)
        // Durations: `slow` ran at least its 300 ms timeout; `fail` well under a second.
        #expect(metrics.value("schedd_job_duration_seconds_bucket", ["job": "slow", "le": "0.25"]) == "0")
        #expect(metrics.value("schedd_job_duration_seconds_bucket", ["job": "slow", "le": "+Inf"]) == "1")
        #expect(try #require(Self.seconds(metrics.value("schedd_job_duration_seconds_sum", ["job": "slow"]))) >= 0.3)
        #expect(metrics.value("schedd_job_duration_seconds_bucket", ["job": "fail", "le": "1"]) == "1")
        #expect(metrics.value("schedd_job_duration_seconds_count", ["job": "good"]) == "2")
        // Lateness: two scheduled firings of `good`, each well within a second.
        #expect(metrics.value("schedd_job_lateness_seconds_count", ["job": "good"]) == "2")
        #expect(metrics.value("schedd_job_lateness_seconds_bucket", ["job": "good", "le": "1"]) == "2")
        // Gauges.
        #expect(metrics.value("schedd_job_consecutive_failures", ["job": "fail"]) == "1")
        #expect(metrics.value("schedd_job_consecutive_failures", ["job": "good"]) == "0")
        #expect(metrics.value("schedd_job_running", ["job": "slow"]) == "0")
        #expect(metrics.value("schedd_job_next_fire_timestamp_seconds", ["job": "later"]) == "4070908800")
        #expect(metrics.value("schedd_job_next_fire_timestamp_seconds", ["job": "good"]) == "0")
        #expect(metrics.value("schedd_jobs", ["state": "scheduled"]) == "4")
        #expect(metrics.value("schedd_reloads_total", ["result": "ok"]) == "0")
        #expect(metrics.value("schedd_last_reload_successful") == "1")
        #expect(metrics.samples.keys.contains { $0.hasPrefix("schedd_build_info{version=\"") })

        // `schedctl metrics` renders the same registry: the same counters.
        let viaControl = try run("schedctl", ["metrics", "--socket", folder.path + "/control.sock"])
        #expect(viaControl.status == 0)
        let fromControl = try Exposition(viaControl.stdout)
        for series in metrics.order where series.hasPrefix("schedd_job_runs_total") {
            #expect(fromControl.samples[series] == metrics.samples[series], "\(series)")
        }

        // The file shows the same counters once its rate limit has passed.
        usleep(1_300_000)
        let file = try String(contentsOfFile: folder.path + "/metrics/schedd.prom", encoding: .utf8)
        let fromFile = try Exposition(file)
        for series in metrics.order where series.hasPrefix("schedd_job_runs_total") {
            #expect(fromFile.samples[series] == metrics.samples[series], "\(series)")
        }

        // A failed reload, then a good one.
        try daemon.writeConfig("[jobs.broken]\nevery = \"soon\"\nshell = \"true\"\n")
        daemon.send(SIGHUP)
        #expect(daemon.waitForLog("event=reload_failed"))
        metrics = try Self.scrape(port)
        #expect(metrics.value("schedd_reloads_total", ["result": "failed"]) == "1")
        #expect(metrics.value("schedd_last_reload_successful") == "0")
        try daemon.writeConfig(config)
        daemon.send(SIGHUP)
        #expect(daemon.waitForLog("event=reloaded"))
        metrics = try Self.scrape(port)
        #expect(metrics.value("schedd_reloads_total", ["result": "ok"]) == "1")
        #expect(metrics.value("schedd_last_reload_successful") == "1")
        let reloadedAt = try #require(Self.seconds(metrics.value("schedd_last_reload_success_timestamp_seconds")))
        #expect(abs(reloadedAt - Date().timeIntervalSince1970) < 5)

        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }

    @Test("metrics_file is replaced atomically: readers always see a whole exposition, mode 0644, no leftovers")
    func fileReplacedAtomically() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path + "/textfile", withIntermediateDirectories: true)
        let path = folder.path + "/textfile/schedd.prom"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [scheduler]
                metrics_file = "\(path)"

                [jobs.tick]
                every = "1s"
                shell = "echo tick"
                """
        )
        #expect(waitUntil(timeout: 5) { FileManager.default.fileExists(atPath: path) })
        var inodes: Set<UInt64> = []
        var reads = 0
        let deadline = Date().addingTimeInterval(3.5)
        while Date() < deadline {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                Issue.record("the file vanished for a moment")
                break
            }
            let exposition = try Exposition(text)
            #expect(exposition.types["schedd_build_info"] == "gauge")
            #expect(text.hasSuffix("} 1\n"))
            var info = stat()
            if stat(path, &info) == 0 { inodes.insert(UInt64(info.st_ino)) }
            #expect(info.st_mode & 0o777 == 0o644)
            reads += 1
            usleep(2_000)
        }
        #expect(reads > 100)
        #expect(inodes.count >= 2, "the file was rewritten (replaced) while the job ran")
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/textfile") == ["schedd.prom"])
        let final = try Exposition(String(contentsOfFile: path, encoding: .utf8))
        #expect(Int(final.value("schedd_job_runs_total", ["job": "tick", "result": "ok"]) ?? "") ?? 0 >= 2)
    }

    @Test("the listener on the real daemon: malformed, wrong path, wrong method; and a port in use stops start-up")
    func listenerRequests() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let port = freeLocalPort()
        let config = """
            [scheduler]
            metrics_listen = "127.0.0.1:\(port)"

            [jobs.idle]
            every = "1h"
            command = ["true"]
            """
        let daemon = try DaemonProcess(folder: folder, config: config)
        #expect(daemon.waitForLog("event=metrics_listening"))
        let cases: [(String, Int)] = [
            ("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 200),
            ("HEAD /metrics HTTP/1.0\r\n\r\n", 200),
            ("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 404),
            ("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405),
            ("GET /metrics HTTP/1.1\r\n\r\n", 400),
            ("GET /metrics HTTP/1.1\nHost: x\n\n", 400),
            ("BREW /pot HTCPCP/1.0\r\n\r\n", 400),
            ("GET /metrics HTTP/1.1\r\nHost: x\r\nX: " + String(repeating: "y", count: 20_000) + "\r\n\r\n", 400),
        ]
        for (request, status) in cases {
            #expect(httpStatusAndBody(httpExchange(port: port, request))?.status == status, "\(request.prefix(40))")
        }
        // An idle connection is dropped after the request timeout and costs nothing afterwards.
        #expect(httpStatusAndBody(httpExchange(port: port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"))?.status == 200)

        // A second daemon cannot bind the same address and refuses to start.
        let otherFolder = try TemporaryFolder()
        defer { otherFolder.remove() }
        let other = try DaemonProcess(folder: otherFolder, config: config)
        #expect(other.waitForExit(timeout: 5) == 1)
        #expect(other.log.contains("cannot listen on 127.0.0.1:\(port) for metrics"))

        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }

    @Test("a run that ends during shutdown is in the final metrics file")
    func finalFileAfterShutdown() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path + "/schedd.prom"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [scheduler]
                metrics_file = "\(path)"

                [jobs.long]
                at = "\(rfc3339(secondsFromNow: 1))"
                command = ["sleep", "1"]
                """
        )
        #expect(daemon.waitForLog("event=run_started", "job=long", timeout: 6))
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 10) == 0)
        #expect(daemon.lines(containing: "event=run_finished", "job=long", "result=ok").count == 1)
        let final = try Exposition(String(contentsOfFile: path, encoding: .utf8))
        #expect(final.value("schedd_job_runs_total", ["job": "long", "result": "ok"]) == "1")
        #expect(final.value("schedd_job_running", ["job": "long"]) == "0")
    }

    @Test("a reload that changes metrics_listen moves the listener")
    func listenerMovesOnReload() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = freeLocalPort()
        var second = freeLocalPort()
        while second == first { second = freeLocalPort() }
        let config = { (port: UInt16) in
            "[scheduler]\nmetrics_listen = \"127.0.0.1:\(port)\"\n\n[jobs.idle]\nevery = \"1h\"\ncommand = [\"true\"]\n"
        }
        let daemon = try DaemonProcess(folder: folder, config: config(first))
        #expect(daemon.waitForLog("event=metrics_listening", "address=127.0.0.1:\(first)"))
        let scrape = "GET /metrics HTTP/1.0\r\n\r\n"
        #expect(httpStatusAndBody(httpExchange(port: first, scrape))?.status == 200)
        try daemon.writeConfig(config(second))
        daemon.send(SIGHUP)
        #expect(daemon.waitForLog("event=metrics_listening", "address=127.0.0.1:\(second)"))
        #expect(httpStatusAndBody(httpExchange(port: second, scrape))?.status == 200)
        #expect(httpExchange(port: first, scrape) == nil, "the old port is closed")
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }

    /// A config whose job prints awkward output and fails, to exercise quoting.
    static let noisyConfig = #"""
        [jobs.noisy]
        at = "AT"
        shell = 'printf "a \"quoted\" word key=value back\\\\slash ünï\n\tcontrol\001 end\n"; echo err >&2; exit 2'
        """#

    static func runNoisy(format: String?, environment: [String: String] = [:]) throws -> [String] {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var config = Self.noisyConfig.replacingOccurrences(of: "AT", with: rfc3339(secondsFromNow: 1))
        if let format { config = "[scheduler]\nlog_format = \"\(format)\"\n\n" + config }
        let daemon = try DaemonProcess(folder: folder, config: config, environment: environment)
        #expect(waitUntil(timeout: 6) { daemon.log.contains("run_finished") })
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
        return daemon.log.split(separator: "\n").map(String.init)
    }

    @Test("every log line parses as strict logfmt, with job and run on run and output events")
    func logfmtLines() throws {
        let lines = try Self.runNoisy(format: nil)
        #expect(lines.count >= 6)
        var events: [String] = []
        for line in lines {
            let pairs = try Logfmt.parse(line)
            let fields = Dictionary(pairs.map { ($0.key, $0.value) }) { first, _ in first }
            #expect(pairs.prefix(3).map(\.key) == ["ts", "level", "event"], "\(line)")
            let event = fields["event"] ?? ""
            events.append(event)
            if ["run_started", "run_finished", "output"].contains(event) {
                #expect(fields["job"] == "noisy")
                #expect(fields["run"].flatMap { Int($0) } != nil)
            }
        }
        #expect(events.contains("run_started") && events.contains("run_finished") && events.contains("output"))
        let output = try lines.map { try Logfmt.parse($0) }.first { $0.contains { $0 == ("event", "output") } }
        #expect(output?.first { $0.key == "line" }?.value == "a \"quoted\" word key=value back\\slash ünï")
        let finished = try lines.map { try Logfmt.parse($0) }.first { $0.contains { $0 == ("event", "run_finished") } }
        #expect(finished?.first { $0.key == "exit" }?.value == "2")
        #expect(finished?.first { $0.key == "result" }?.value == "failed")
    }

    @Test("with log_format = \"json\" every line is one JSON object; under JOURNAL_STREAM lines carry priorities")
    func jsonLinesAndJournal() throws {
        let lines = try Self.runNoisy(format: "json", environment: ["JOURNAL_STREAM": "8:1234"])
        #expect(lines.count >= 6)
        var priorities: [String: String] = [:]
        for line in lines {
            let prefix = String(line.prefix(3))
            #expect(["<3>", "<4>", "<5>", "<6>"].contains(prefix), "\(line)")
            let object = try #require(
                JSONSerialization.jsonObject(with: Data(line.dropFirst(3).utf8)) as? [String: Any],
                "\(line)"
            )
            let event = try #require(object["event"] as? String)
            priorities[event] = prefix
            #expect(object["ts"] is String)
            if event == "run_finished" {
                #expect(object["job"] as? String == "noisy")
                #expect(object["exit"] as? Int == 2)
                #expect(object["signal"] is NSNull)
                #expect(object["duration_ms"] is Int)
            }
            if event == "output", object["stream"] as? String == "stdout", let text = object["line"] as? String,
                text.hasPrefix("a ")
            {
                #expect(text == "a \"quoted\" word key=value back\\slash ünï")
            }
        }
        #expect(priorities["run_started"] == "<6>")
        #expect(priorities["run_finished"] == "<4>")
    }

    @Test("a job failing through its retries runs on_failure exactly once, after the last retry, with its environment")
    func failureHookAfterLastRetry() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let trace = folder.path + "/hook"
        let daemon = try DaemonProcess(
            folder: folder,
            config: """
                [scheduler]
                on_failure = ["/bin/sh", "-c", "env | grep -E '^(SCHEDD_|TEAM=)' | sort > \(trace).env; cat > \(trace).stdin; echo ran >> \(trace).count"]

                [jobs.flaky]
                at = "\(rfc3339(secondsFromNow: 1))"
                shell = "echo attempt $SCHEDD_ATTEMPT failing; exit 7"
                retry = { attempts = 2, backoff = "200ms", factor = 1 }
                env = { TEAM = "ops" }
                """
        )
        #expect(daemon.waitForLog("event=run_finished", "job=flaky", "result=failed", count: 3, timeout: 8))
        #expect(daemon.waitForLog("event=hook_finished", "job=flaky", timeout: 5))
        usleep(500_000)  // a second (wrong) hook would show up by now
        #expect(try String(contentsOfFile: trace + ".count", encoding: .utf8) == "ran\n")
        let failed = daemon.lines(containing: "event=run_finished", "job=flaky")
        #expect(failed.count == 3)
        let last = try #require(failed.last.map { try Logfmt.parse($0) })
        let lastRun = try #require(last.first { $0.key == "run" }?.value)
        #expect(last.first { $0.key == "attempt" }?.value == "3")
        let env = try String(contentsOfFile: trace + ".env", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(env.contains("SCHEDD_JOB_ID=flaky"))
        #expect(env.contains("SCHEDD_RUN_ID=\(lastRun)"))
        #expect(env.contains("SCHEDD_RESULT=failed"))
        #expect(env.contains("SCHEDD_EXIT_CODE=7"))
        #expect(env.contains("SCHEDD_ATTEMPT=3"))
        #expect(env.contains("TEAM=ops"))
        #expect(env.filter { $0.hasPrefix("SCHEDD_RUN_ID=") }.count == 1)
        #expect(try String(contentsOfFile: trace + ".stdin", encoding: .utf8) == "attempt 3 failing\n")
        // The hook started only after the last attempt's record.
        let log = daemon.log
        let hookIndex = try #require(log.range(of: "event=hook_started")).lowerBound
        let lastLine = try #require(failed.last)
        let lastRecord = try #require(log.range(of: lastLine)).lowerBound
        #expect(lastRecord < hookIndex)
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 5) == 0)
    }
}
