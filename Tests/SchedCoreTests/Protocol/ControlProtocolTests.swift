import SchedTime
import Testing

@testable import SchedCore

@Suite("Control protocol messages")
struct ControlProtocolTests {
    static let requests: [ControlRequest] = [
        .list, .status, .reload, .metrics,
        .history(job: "backup", limit: nil), .history(job: "backup", limit: 5),
        .runNow(job: "cleanup", wait: false, force: false), .runNow(job: "cleanup", wait: true, force: true),
        .pause(job: "a"), .resume(job: "jöb \"quoted\""),
    ]

    @Test("every request survives encode → line → decode", arguments: requests)
    func requestRoundTrip(request: ControlRequest) throws {
        let line = request.serialized()
        #expect(!line.contains("\n"))
        #expect(try ControlProtocol.decodeRequest(Array(line.utf8)) == request)
    }

    @Test("requests use the documented field names")
    func requestWireForm() {
        #expect(
            ControlRequest.runNow(job: "x", wait: true, force: false).serialized()
                == #"{"version":1,"command":"run-now","job":"x","wait":true,"force":false}"#
        )
        #expect(
            ControlRequest.history(job: "x", limit: 3).serialized()
                == #"{"version":1,"command":"history","job":"x","limit":3}"#
        )
        #expect(ControlRequest.status.serialized() == #"{"version":1,"command":"status"}"#)
    }

    static let scheduled = Instant(secondsSinceEpoch: 1_795_834_800)
    static let failedRun = RunInfo(
        runID: RunID(rawValue: 17),
        job: "backup",
        scheduled: scheduled,
        started: scheduled + .milliseconds(12),
        finished: scheduled + .milliseconds(1512),
        durationMilliseconds: 1500,
        attempt: 2,
        result: .failed,
        exitCode: 3,
        outputTail: "disk full\nretrying"
    )
    static let skippedRun = RunInfo(
        runID: RunID(rawValue: 18),
        job: "check",
        scheduled: scheduled,
        result: .skipped,
        reason: "previous run still active",
        httpStatus: 503,
        latencyMilliseconds: 80
    )
    static let job = JobInfo(
        id: "backup",
        trigger: "0 3 * * *",
        state: .running,
        next: scheduled + .seconds(86_400),
        last: failedRun,
        consecutiveFailures: 2,
        runningRuns: [RunID(rawValue: 19)],
        lastHTTPStatus: nil
    )

    static let responses: [ControlResponse] = [
        .jobs([]),
        .jobs([job, JobInfo(id: "idle", trigger: "every 5m", state: .paused)]),
        .status(
            StatusInfo(
                version: "0.1.0",
                processID: 4242,
                uptimeSeconds: 3600,
                configPath: "/etc/schedd/schedules.toml",
                jobs: 3,
                running: 1,
                next: scheduled,
                nextJob: "backup"
            )
        ),
        .status(StatusInfo(version: "0.1.0", processID: 1, uptimeSeconds: 0, configPath: "c", jobs: 0, running: 0)),
        .runs([failedRun, skippedRun]),
        .runStarted(job: "backup", runID: RunID(rawValue: 99)),
        .runFinished(failedRun),
        .job(job),
        .reloaded(ReloadSummary(jobs: 4, added: ["new"], removed: ["old"], changed: ["backup"])),
        .metrics("# HELP schedd_jobs Jobs by state\nschedd_jobs{state=\"scheduled\"} 3\n"),
        .failure(ControlError.unknownJob("bakup", knownIDs: ["backup", "cleanup"])),
        .failure(
            ControlError(
                code: .reloadFailed,
                message: "reload failed",
                details: ["schedules.toml:3:8: error: unknown weekday 'Mnd' in 'cron'"]
            )
        ),
    ]

    @Test("every response survives encode → line → decode", arguments: responses)
    func responseRoundTrip(response: ControlResponse) throws {
        let line = response.encodedLine()
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false)
        #expect(try ControlProtocol.decodeResponse(line.dropLast()) == response)
    }

    @Test("run objects use the field names of ARCHITECTURE.md, absent facts as null")
    func runWireForm() {
        #expect(
            Self.skippedRun.json.serialized()
                == #"{"run_id":18,"job":"check","scheduled":"2026-11-28T03:00:00Z","started":null,"finished":null,"#
                + #""duration_ms":null,"attempt":1,"result":"skipped","reason":"previous run still active","#
                + #""exit_code":null,"signal":null,"http_status":503,"latency_ms":80,"output_tail":null}"#
        )
    }

    @Test("list and status payloads carry the fixed fields")
    func jobAndStatusWireForm() throws {
        let job = Self.job.json
        for key in ["id", "trigger", "state", "next", "last", "consecutive_failures"] {
            #expect(job[key] != nil, "job.\(key)")
        }
        #expect(job["state"] == .string("running"))
        #expect(job["next"] == .string("2026-11-29T03:00:00Z"))
        guard case .status(let status) = Self.responses[2] else { return }
        for key in ["version", "pid", "uptime_s", "config", "jobs", "running", "next"] {
            #expect(status.json[key] != nil, "status.\(key)")
        }
    }

    @Test("an unknown job's error suggests close ids")
    func unknownJobSuggestions() {
        let error = ControlError.unknownJob("bakup", knownIDs: ["cleanup", "backup", "backups", "report"])
        #expect(error.code == .unknownJob)
        #expect(error.suggestions == ["backup", "backups"])
        #expect(ControlError.unknownJob("zzz", knownIDs: ["backup"]).suggestions.isEmpty)
        #expect(
            ControlError.unknownJob("clean", knownIDs: ["cleanup_expired_data"]).suggestions == ["cleanup_expired_data"]
        )
    }

    @Test("a request without a version is version 1; another version is refused")
    func versions() throws {
        #expect(try ControlProtocol.decodeRequest(Array(#"{"command":"list"}"#.utf8)) == .list)
        #expect {
            try ControlProtocol.decodeRequest(Array(#"{"version":2,"command":"list"}"#.utf8))
        } throws: { error in
            (error as? ControlProtocolError)?.kind == .unsupportedVersion
        }
    }

    @Test(
        "malformed requests are typed errors, never traps",
        arguments: [
            (#"not json"#, ControlProtocolError.Kind.malformedJSON),
            (#"[]"#, .invalidMessage),
            (#"{}"#, .invalidMessage),
            (#"{"command":7}"#, .invalidMessage),
            (#"{"command":"explode"}"#, .unknownCommand),
            (#"{"command":"pause"}"#, .invalidMessage),
            (#"{"command":"run-now","job":"x","wait":"yes"}"#, .invalidMessage),
            (#"{"command":"history","job":"x","limit":0}"#, .invalidMessage),
            (#"{"command":"history","job":"x","limit":1e3}"#, .invalidMessage),
            (#"{"command":"history","job":"x","limit":99999999999999999999}"#, .invalidMessage),
            (#"{"version":"1","command":"list"}"#, .invalidMessage),
            (#"{"command":"list"} {}"#, .malformedJSON),
            (String(repeating: "[", count: 50), .malformedJSON),
        ]
    )
    func malformedRequests(text: String, kind: ControlProtocolError.Kind) {
        #expect {
            try ControlProtocol.decodeRequest(Array(text.utf8))
        } throws: { error in
            (error as? ControlProtocolError)?.kind == kind
        }
    }

    @Test("an unknown command's error lists the known ones")
    func unknownCommandSuggestions() {
        let error = ControlProtocolError(kind: .unknownCommand, message: "unknown command 'x'").controlError
        #expect(error.code == .unknownCommand)
        #expect(error.suggestions.contains("run-now"))
    }

    @Test(
        "malformed responses are typed errors",
        arguments: [
            #"{"ok":true,"kind":"jobs","result":[{"id":"a"}]}"#,
            #"{"ok":true,"kind":"jobs","result":[{"id":"a","trigger":"x","state":"sleeping"}]}"#,
            #"{"ok":true,"kind":"status","result":{"version":"1"}}"#,
            #"{"ok":true,"kind":"runs","result":[{"run_id":-1,"job":"a","scheduled":"2026-01-01T00:00:00Z","result":"ok"}]}"#,
            #"{"ok":true,"kind":"runs","result":[{"run_id":1,"job":"a","scheduled":"yesterday","result":"ok"}]}"#,
            #"{"ok":true,"kind":"mystery","result":null}"#,
            #"{"ok":false}"#,
            #"{"kind":"jobs"}"#,
            #"{"version":9,"ok":true,"kind":"jobs","result":[]}"#,
        ]
    )
    func malformedResponses(text: String) {
        #expect(throws: ControlProtocolError.self) { try ControlProtocol.decodeResponse(Array(text.utf8)) }
    }

    @Test("a record from the scheduler converts to a run object field by field")
    func fromRunRecord() {
        var record = RunRecord(
            runID: RunID(rawValue: 5),
            job: "j",
            scheduled: Self.scheduled,
            attempt: 1,
            result: .killed,
            started: Self.scheduled,
            finished: Self.scheduled + .seconds(2)
        )
        record.signal = 9
        record.latency = .milliseconds(250)
        let run = RunInfo(record)
        #expect(run.durationMilliseconds == 2000)
        #expect(run.signal == 9)
        #expect(run.latencyMilliseconds == 250)
        #expect(run.result == .killed)
    }
}
