import Foundation
import SchedCore
import SchedTime
import Testing

@testable import SchedRuntime

/// `Daemon.reload()` and the alarm handler, in process (no loop running, no signals): what they log,
/// what they tell observers, what the core ends up holding.
@Suite struct DaemonReloadTests {
    /// Records what observers are told.
    final class RecordingObserver: DaemonObserver {
        var reloads: [ReloadOutcome] = []
        func daemon(_ daemon: Daemon, didReload outcome: ReloadOutcome) { reloads.append(outcome) }
    }

    struct Fixture {
        let folder: String
        let configPath: String
        let daemon: Daemon
        let sink: CapturingLogSink
        let observer = RecordingObserver()

        init(_ config: String) throws {
            folder = NSTemporaryDirectory() + "schedd-daemon-unit-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            configPath = folder + "/schedules.toml"
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            let loaded = try #require(Daemon.loadConfig(path: configPath, environment: [:]).config)
            sink = CapturingLogSink()
            daemon = try Daemon(
                configPath: configPath,
                config: loaded,
                environment: [:],
                logger: Logger(sink: sink)
            )
            daemon.addObserver(observer)
        }

        func rewrite(_ config: String) throws {
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: folder) }
    }

    static let twoJobs = """
        [jobs.a]
        every = "1h"
        command = ["true"]

        [jobs.b]
        every = "2h"
        command = ["true"]
        """

    @Test("a valid config is applied: the diff is logged and reported, the core holds the new jobs")
    func validReload() throws {
        let fixture = try Fixture(Self.twoJobs)
        defer { fixture.remove() }
        try fixture.rewrite(
            "[jobs.a]\nevery = \"30m\"\ncommand = [\"true\"]\n\n[jobs.c]\nevery = \"1h\"\ncommand = [\"true\"]\n"
        )
        guard case .applied(let diff) = fixture.daemon.reload() else {
            Issue.record("expected the reload to apply")
            return
        }
        #expect(diff.added == ["c"] && diff.replaced == ["a"] && diff.removed == ["b"])
        #expect(fixture.daemon.core.jobStatuses.map(\.id) == ["a", "c"])
        #expect(fixture.daemon.config.jobs.map(\.id) == ["a", "c"])
        #expect(fixture.observer.reloads.count == 1)
        let line = try #require(fixture.sink.lines.first { $0.contains("event=reloaded") })
        #expect(line.contains("added=1 replaced=1 removed=1 unchanged=0"))
        #expect(line.contains("added_jobs=c replaced_jobs=a removed_jobs=b"))
    }

    @Test("an invalid config changes nothing; each error is logged with its location")
    func invalidReload() throws {
        let fixture = try Fixture(Self.twoJobs)
        defer { fixture.remove() }
        let before = fixture.daemon.core.jobStatuses
        try fixture.rewrite(
            "[jobs.a]\nevery = \"soon\"\ncommand = [\"true\"]\n\n[jobs.b]\ncron = \"61 * * * *\"\ncommand = [\"true\"]\n"
        )
        guard case .failed(let errors) = fixture.daemon.reload() else {
            Issue.record("expected the reload to fail")
            return
        }
        #expect(errors.count == 2)
        #expect(fixture.daemon.core.jobStatuses == before)
        #expect(fixture.daemon.config.jobs.map(\.id) == ["a", "b"])
        let errorLines = fixture.sink.lines.filter { $0.contains("event=config_error") }
        #expect(errorLines.count == 2)
        #expect(errorLines.allSatisfy { $0.contains("diagnostic=\"\(fixture.configPath):") })
        #expect(fixture.sink.lines.contains { $0.contains("event=reload_failed") && $0.contains("errors=2") })
    }

    @Test("a clock step is logged and handed to the core, which re-arms the jobs from the new time")
    func clockStep() throws {
        let fixture = try Fixture(Self.twoJobs)
        defer { fixture.remove() }
        fixture.daemon.phase = .running
        fixture.daemon.alarmRang(.clockChanged)
        #expect(fixture.sink.lines.contains { $0.contains("event=clock_stepped") })
        #expect(fixture.daemon.core.nextDeadline != nil)
        #expect(fixture.daemon.armedDeadline == fixture.daemon.core.nextDeadline)
    }
}
