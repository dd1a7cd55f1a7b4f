import Foundation
import SchedCore
import SchedTestSupport
import SchedTime
import Testing

@testable import SchedRuntime

/// The run events: stable field names, levels, and every line parsing as strict logfmt and as JSON.
@Suite("Run log events")
struct RunLogEventsTests {
    static let now = Instant(nanosecondsSinceEpoch: 1_795_834_800_250_000_000)
    static let scheduled = Instant(secondsSinceEpoch: 1_795_834_800)
    /// Values that stress quoting: spaces, quotes, backslashes, `=`, newlines, control and non-ASCII.
    static let nasty = "a \"quoted\" back\\slash key=value\nnext\tline\r\u{1}\u{7F} ünï 💥"

    /// A real start request from a core: the first firing of an `every 1m` job starting at
    /// `scheduled - 1m`, or a run-now request (scheduled = the moment asked).
    static func request(manual: Bool = false) -> RunRequest {
        var job = JobConfig(
            id: "backup.db-1",
            trigger: .every(.seconds(60), anchor: scheduled - .seconds(60)),
            triggerText: "every 1m",
            action: .command(["/bin/true"]),
            settings: SchedulerSettings(zone: .utc),
            location: SourceLocation(file: "schedules.toml", line: 1, column: 1)
        )
        job.start = scheduled - .seconds(60)
        let config = ScheduleConfig(settings: SchedulerSettings(zone: .utc), jobs: [job], files: ["schedules.toml"])
        var core = SchedulerCore(
            config: config,
            now: scheduled - .seconds(30),
            random: JitterRandom(seed: 1),
            firstRunNumber: 42
        )
        let actions =
            manual
            ? (try? core.runNow(jobID: job.id, now: scheduled).actions) ?? [] : core.advance(to: scheduled)
        guard case .start(let request) = actions.first else { preconditionFailure("no start: \(actions)") }
        return request
    }

    static func record(_ result: RunResult, started: Bool = true) -> RunRecord {
        var record = RunRecord(
            runID: RunID(rawValue: 42),
            job: "backup.db-1",
            scheduled: scheduled,
            attempt: 1,
            result: result,
            reason: result == .ok ? nil : nasty,
            started: started ? scheduled : nil,
            finished: now
        )
        if result == .failed { record.exitCode = 3 }
        if result == .killed || result == .timeout { record.signal = 15 }
        return record
    }

    /// Every event kind, logged through `logger`.
    static func logEverything(_ logger: Logger) {
        logger.runStarted(request(), pid: ProcessID(rawValue: 1234), at: now)
        logger.runStarted(request(manual: true), at: now)
        for result in RunResult.allCases { logger.recorded(record(result)) }
        logger.recorded(record(.failed, started: false))
        logger.jobOutput(
            job: "backup.db-1",
            run: RunID(rawValue: 42),
            line: OutputLine(stream: .standardError, text: nasty, isTruncated: true)
        )
        logger.jobOutput(
            job: "backup.db-1",
            run: RunID(rawValue: 42),
            line: OutputLine(stream: .standardOutput, text: "", isTruncated: false)
        )
    }

    static func capture(_ format: SchedRuntime.LogFormat, journal: Bool = false) -> [String] {
        let sink = CapturingLogSink()
        logEverything(
            Logger(format: format, minimumLevel: .debug, journalPriorityPrefix: journal, sink: sink, clock: { now })
        )
        return sink.lines
    }

    @Test("every logfmt line parses strictly, with the stable field names and exact values")
    func logfmtParses() throws {
        let lines = Self.capture(.logfmt)
        #expect(lines.count == 12)
        let parsed = try lines.map { try Logfmt.parse($0) }
        for pairs in parsed {
            #expect(pairs.prefix(3).map(\.key) == ["ts", "level", "event"])
            #expect(pairs.first { $0.key == "ts" }?.value == "2026-11-28T03:00:00.25Z")
            #expect(pairs.first { $0.key == "job" }?.value == "backup.db-1")
            #expect(pairs.first { $0.key == "run" }?.value == "42")
        }
        let started = Dictionary(uniqueKeysWithValues: parsed[0].map { ($0.key, $0.value) })
        #expect(started["event"] == "run_started")
        #expect(started["scheduled"] == "2026-11-28T03:00:00Z")
        #expect(started["lateness_ms"] == "250")
        #expect(started["attempt"] == "1")
        #expect(started["pid"] == "1234")
        #expect(started["manual"] == nil)
        #expect(parsed[1].contains { $0 == ("manual", "true") })

        let failed = Dictionary(uniqueKeysWithValues: parsed[3].map { ($0.key, $0.value) })
        #expect(failed["event"] == "run_finished")
        #expect(failed["result"] == "failed")
        #expect(failed["exit"] == "3")
        #expect(failed["duration_ms"] == "250")
        #expect(failed["reason"] == Self.nasty)
        #expect(failed["signal"] == nil, "absent facts are left out in logfmt")

        let output = Dictionary(uniqueKeysWithValues: parsed[10].map { ($0.key, $0.value) })
        #expect(output["event"] == "output")
        #expect(output["stream"] == "stderr")
        #expect(output["line"] == Self.nasty)
        #expect(output["truncated"] == "true")
        #expect(parsed[11].contains { $0 == ("line", "") })
    }

    @Test("every JSON line is one object with typed values and nulls for absent facts")
    func jsonParses() throws {
        let lines = Self.capture(.json)
        #expect(lines.count == 12)
        let objects = try lines.map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(objects[0]["lateness_ms"] as? Int == 250)
        #expect(objects[0]["event"] as? String == "run_started")
        let failed = objects[3]
        #expect(failed["exit"] as? Int == 3)
        #expect(failed["signal"] is NSNull)
        #expect(failed["reason"] as? String == Self.nasty)
        #expect(failed["duration_ms"] as? Int == 250)
        let killed = objects[5]
        #expect(killed["result"] as? String == "killed")
        #expect(killed["signal"] as? Int == 15)
        #expect(objects[10]["line"] as? String == Self.nasty)
        #expect(lines.allSatisfy { !$0.contains("\n") })
    }

    @Test("events and levels by result; journald priorities prefix each line under JOURNAL_STREAM")
    func levels() throws {
        let lines = Self.capture(.logfmt, journal: true)
        let summary = try lines.map { line -> String in
            let prefix = String(line.prefix(3))
            let pairs = try Logfmt.parse(String(line.dropFirst(3)))
            return prefix + (pairs.first { $0.key == "event" }?.value ?? "?")
        }
        #expect(
            summary == [
                "<6>run_started", "<6>run_started",
                "<6>run_finished",  // ok
                "<4>run_finished",  // failed
                "<4>run_finished",  // timeout
                "<4>run_finished",  // killed
                "<4>run_missed",
                "<6>run_skipped",
                "<4>run_finished",  // interrupted
                "<3>run_finished",  // never started
                "<6>output", "<6>output",
            ]
        )
    }

    @Test("log_format \"text\" is logfmt and \"json\" is JSON")
    func configuredFormat() {
        #expect(SchedRuntime.LogFormat(configured: .text) == .logfmt)
        #expect(SchedRuntime.LogFormat(configured: .json) == .json)
    }
}
