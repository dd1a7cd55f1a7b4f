import Foundation
import SchedCore
import SchedTime

@testable import SchedRuntime

/// Folders, configs and records for the state store tests.
enum StateFixture {
    /// 2026-01-01T00:00:00Z.
    static let t0 = Instant(secondsSinceEpoch: 1_767_225_600)

    /// A fresh empty folder under /tmp; removed by `remove`.
    static func temporaryDirectory() -> String {
        var template = Array("/tmp/schedd-state-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        precondition(made, "mkdtemp failed")
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func remove(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func open(
        _ directory: String,
        now: Instant = t0,
        options: StateStore.Options = StateStore.Options(),
        sink: CapturingLogSink = CapturingLogSink()
    ) throws -> StateStore {
        try StateStore.open(directory: directory, options: options, logger: Logger(sink: sink), now: now)
    }

    static func config(_ ids: [String], history: Int = 100, maxAge: Duration? = nil) -> ScheduleConfig {
        let settings = SchedulerSettings(zone: .utc)
        let jobs = ids.map { id in
            var job = JobConfig(
                id: id,
                trigger: .every(.seconds(60), anchor: nil),
                triggerText: "every 1m",
                action: .command(["/bin/true"]),
                settings: settings,
                location: SourceLocation(file: "schedules.toml", line: 1, column: 1)
            )
            job.history = history
            job.historyMaxAge = maxAge
            return job
        }
        return ScheduleConfig(settings: settings, jobs: jobs, files: ["schedules.toml"])
    }

    /// A finished run `number` of `job`, scheduled `number` seconds after t0.
    static func record(_ number: UInt64, job: String, result: RunResult = .ok) -> RunRecord {
        let scheduled = t0 + .seconds(Int64(number))
        var record = RunRecord(
            runID: RunID(rawValue: number),
            job: job,
            scheduled: scheduled,
            attempt: 1,
            result: result,
            started: scheduled + .milliseconds(2),
            finished: scheduled + .milliseconds(900)
        )
        record.exitCode = result == .ok ? 0 : 1
        return record
    }

    static func started(_ number: UInt64, job: String, manual: Bool = false) -> StartedRun {
        let scheduled = t0 + .seconds(Int64(number))
        return StartedRun(
            runID: RunID(rawValue: number),
            jobID: job,
            scheduled: scheduled,
            attempt: 1,
            isManual: manual,
            started: scheduled + .milliseconds(2)
        )
    }

    static func bytes(_ path: String) -> [UInt8] {
        (FileManager.default.contents(atPath: path)).map { [UInt8]($0) } ?? []
    }

    static func write(_ bytes: [UInt8], to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    static func files(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }
}
