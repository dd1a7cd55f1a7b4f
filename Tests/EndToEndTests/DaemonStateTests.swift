import Foundation
import SchedCore
import SchedRuntime
import SchedTime
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real schedd with its state under `state_dir`: downtime catch-up, damaged state files, and a
/// kill -9 loop. State is checked by opening the store the daemon left (with the daemon stopped).
@Suite(.serialized) struct DaemonStateTests {
    /// Opens the state the daemon left in `folder` (the daemon must be stopped).
    static func openState(_ folder: TemporaryFolder) throws -> StateStore {
        let store = try StateStore.open(
            directory: folder.path + "/state",
            logger: Logger(minimumLevel: .error),
            now: WallClock.now()
        )
        return store
    }

    static func stop(_ daemon: DaemonProcess) {
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: 10) == 0)
    }

    static func seconds(_ instant: Instant) -> Double {
        Double(instant.nanosecondsSinceEpoch) / 1e9
    }

    // MARK: - Downtime

    @Test(
        "stopped across several firings: older ones are recorded missed, those within grace run per coalesce",
        .hangGuard
    )
    func downtimeCatchUp() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var config = "[scheduler]\nhistory = 1000\n"
        for (id, trigger) in [
            ("every_coalesced", "every = \"1s\""), ("cron_coalesced", "cron = \"* * * * * *\""),
            ("every_each", "every = \"1s\""), ("cron_each", "cron = \"* * * * * *\""),
        ] {
            let coalesce = id.hasSuffix("coalesced")
            config += """

                [jobs.\(id)]
                \(trigger)
                misfire_grace = "2500ms"
                coalesce = \(coalesce)
                max_instances = 10
                shell = "true"

                """
        }
        let first = try DaemonProcess(folder: folder, config: config)
        #expect(first.waitForLog("run_finished", "job=every_each", count: 2, timeout: 10))
        Self.stop(first)
        // What the first daemon left, to tell its records from the second one's.
        let before = try Self.openState(folder)
        var recordedBefore: [String: Int] = [:]
        for job in ["every_coalesced", "cron_coalesced", "every_each", "cron_each"] {
            recordedBefore[job] = before.history(job: job).count
        }
        try before.close()
        usleep(6_000_000)  // about six firings of each job fall in the downtime
        let second = try DaemonProcess(folder: folder, config: config)
        #expect(second.waitForLog("state_loaded", timeout: 10))
        // The instant the second daemon caught up to (firings after it are regular), from its log.
        let loadedLine = try #require(second.lines(containing: "event=state_loaded").first)
        let field = try #require(loadedLine.split(separator: " ").first { $0.hasPrefix("catch_up_to=") })
        let restarted = try #require(RFC3339.parse(String(field.dropFirst("catch_up_to=".count))))
        #expect(second.waitForLog("run_finished", "job=every_each", count: 2, timeout: 10))
        Self.stop(second)

        let store = try Self.openState(folder)
        for job in ["every_coalesced", "cron_coalesced", "every_each", "cron_each"] {
            let history = store.history(job: job)
            // What the second daemon decided, at its start, about the firings of the downtime.
            let downtime = history.dropFirst(recordedBefore[job] ?? 0).filter { $0.scheduled < restarted }
            let missed = downtime.filter { $0.result == .missed }
            #expect(missed.count == 1, "\(job): \(downtime)")
            // Six firings, 2.5 s of grace: about three are too old (one summary record).
            #expect((2...7).contains(missed.first?.firings ?? 0), "\(job): \(missed)")
            let caughtUp = downtime.filter { $0.result == .ok }
            let coalesced = downtime.filter { $0.result == .skipped && ($0.reason ?? "").contains("coalesced") }
            if job.hasSuffix("coalesced") {
                #expect(caughtUp.count == 1, "\(job): \(downtime)")
                #expect(coalesced.count == 1, "\(job): \(downtime)")
                #expect((1...3).contains(coalesced.first?.firings ?? 0), "\(job): \(coalesced)")
            } else {
                #expect((2...4).contains(caughtUp.count), "\(job): \(downtime)")
                #expect(coalesced.isEmpty, "\(job): \(downtime)")
            }
            // Every firing handled once: no scheduled instant ran twice, across both daemons.
            let ran = history.filter { $0.result == .ok }.map(\.scheduled)
            #expect(Set(ran).count == ran.count, "\(job): a firing ran twice")
            // Nothing of the downtime is unaccounted for: missed + coalesced + runs = the firings.
            let accounted =
                missed.reduce(0) { $0 + $1.firings } + coalesced.reduce(0) { $0 + $1.firings } + caughtUp.count
            #expect((5...9).contains(accounted), "\(job): \(accounted) firings accounted for in \(downtime)")
        }
        try store.close()
    }

    // MARK: - Damaged state

    @Test("garbage and wrong-version state files are moved aside loudly and the daemon runs", .hangGuard)
    func damagedStateSurvived() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path + "/state", withIntermediateDirectories: true)
        try folder.write("this is not a journal\n", to: "state/state.journal")
        var wrongVersion = Array("SCHEDDSN".utf8) + [99, 0, 0, 0, 0, 0, 0, 0]
        wrongVersion += [UInt8](repeating: 7, count: 32)
        _ = FileManager.default.createFile(atPath: folder.path + "/state/state.snapshot", contents: Data(wrongVersion))
        let config = """
            [jobs.tick]
            every = "200ms"
            shell = "true"
            """
        let daemon = try DaemonProcess(folder: folder, config: config)
        #expect(daemon.waitForLog("run_finished", "job=tick", count: 2, timeout: 10))
        #expect(daemon.lines(containing: "state_file_corrupt", "level=error").count == 2)
        #expect(daemon.lines(containing: "state_file_corrupt", "format version 99").count == 1)
        Self.stop(daemon)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/state")
        #expect(files.contains { $0.hasPrefix("state.journal.corrupt-") })
        #expect(files.contains { $0.hasPrefix("state.snapshot.corrupt-") })
        let store = try Self.openState(folder)
        #expect(store.loadReport.problems.isEmpty)
        #expect(store.history(job: "tick").count >= 2)
        try store.close()
    }

    @Test("a state_dir that cannot be created is logged loudly and the daemon runs without state")
    func unusableStateDirectory() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let config = """
            [scheduler]
            state_dir = "/proc/schedd-cannot-exist"

            [jobs.tick]
            every = "200ms"
            shell = "true"
            """
        let daemon = try DaemonProcess(folder: folder, config: config)
        #expect(daemon.waitForLog("state_unavailable", "level=error", timeout: 10))
        #expect(daemon.waitForLog("run_finished", "job=tick", count: 2, timeout: 10))
        Self.stop(daemon)
    }

    // MARK: - Interrupted runs

    @Test(
        "a run cut short by kill -9 is recorded interrupted and started again only with on_interrupted = rerun",
        .hangGuard,
        arguments: ["skip", "rerun"]
    )
    func interruptedRun(policy: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let runs = folder.path + "/runs.txt"
        let config = """
            [jobs.long]
            at = "\(rfc3339(secondsFromNow: 2))"
            on_interrupted = "\(policy)"
            shell = "echo $SCHEDD_RUN_ID $SCHEDD_SCHEDULED_TIME >> \(runs); sleep 2"
            """
        let first = try DaemonProcess(folder: folder, config: config)
        #expect(first.waitForLog("run_started", "job=long", timeout: 10))
        #expect(waitUntil(timeout: 5) { FileManager.default.fileExists(atPath: runs) })
        first.send(SIGKILL)
        _ = first.waitForExit(timeout: 10)

        let second = try DaemonProcess(folder: folder, config: config)
        #expect(second.waitForLog("state_loaded", "interrupted=1", timeout: 10))
        #expect(second.waitForLog("run_finished", "job=long", "result=interrupted", timeout: 10))
        if policy == "rerun" {
            #expect(second.waitForLog("run_finished", "job=long", "result=ok", timeout: 10))
        } else {
            usleep(1_500_000)
        }
        Self.stop(second)
        let lines = ((try? String(contentsOfFile: runs, encoding: .utf8)) ?? "").split(separator: "\n")
        let scheduled = Set(lines.map { $0.split(separator: " ").last.map(String.init) ?? "" })
        #expect(lines.count == (policy == "rerun" ? 2 : 1), "\(lines)")
        #expect(scheduled.count == 1, "the rerun keeps the firing's scheduled time: \(lines)")
        let store = try Self.openState(folder)
        let results = store.history(job: "long").map(\.result)
        #expect(results == (policy == "rerun" ? [.interrupted, .ok] : [.interrupted]))
        try store.close()
    }

    // MARK: - kill -9

    @Test(
        "kill -9 at random moments, ten times: the state loads, no run is lost or duplicated, history is ordered",
        .hangGuard
    )
    func killLoop() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let runs = folder.path + "/runs.txt"
        var config = "[scheduler]\nhistory = 100000\n"
        for (id, interval) in [("fast", "100ms"), ("medium", "300ms"), ("slow", "1s")] {
            config += """

                [jobs.\(id)]
                every = "\(interval)"
                shell = "echo \(id) $SCHEDD_RUN_ID $SCHEDD_SCHEDULED_TIME >> \(runs); sleep 0.25"

                """
        }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<10 {
            let daemon = try DaemonProcess(folder: folder, config: config)
            #expect(daemon.waitForLog("state_loaded", timeout: 10), "round \(round)")
            #expect(daemon.lines(containing: "state_file_corrupt").isEmpty, "round \(round): \(daemon.log)")
            usleep(UInt32.random(in: 200_000...900_000, using: &generator))
            daemon.send(SIGKILL)
            _ = daemon.waitForExit(timeout: 10)
        }
        let last = try DaemonProcess(folder: folder, config: config)
        #expect(last.waitForLog("run_finished", "job=fast", count: 2, timeout: 10))
        #expect(last.lines(containing: "state_file_corrupt").isEmpty)
        Self.stop(last)
        usleep(400_000)  // children of killed daemons finish

        // Ground truth: what the job processes themselves wrote.
        let lines = ((try? String(contentsOfFile: runs, encoding: .utf8)) ?? "").split(separator: "\n")
        // Runs last 250 ms, so most kills land while some run is active: without the ledger
        // written before the start, such runs would leave no record at all.
        var startedByJob: [String: [(run: UInt64, scheduled: String)]] = [:]
        for line in lines {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let run = UInt64(fields[1]) else { continue }
            startedByJob[String(fields[0]), default: []].append((run, String(fields[2])))
        }
        #expect(startedByJob["fast", default: []].count > 10)

        let store = try Self.openState(folder)
        #expect(store.loadReport.problems.allSatisfy { $0.movedTo == nil })
        for job in ["fast", "medium", "slow"] {
            let history = store.history(job: job)
            let ids = history.map(\.runID.rawValue)
            #expect(Set(ids).count == ids.count, "\(job): a run recorded twice")
            // In the order things happened: a run at its end, a skipped firing when it was due, an
            // interrupted run (recorded at the next start) at its start.
            let eventTimes = history.map { $0.finished ?? $0.started ?? $0.scheduled }
            #expect(eventTimes == eventTimes.sorted(), "\(job): history out of order: \(history.map(\.runID))")
            // One instance at a time: runs end in the order they started.
            let runIDs = history.filter { $0.result == .ok }.map(\.runID)
            #expect(runIDs == runIDs.sorted(), "\(job): runs out of order")
            let recorded = Dictionary(history.map { ($0.runID.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
            for started in startedByJob[job, default: []] {
                let record = recorded[started.run]
                #expect(record != nil, "\(job): run \(started.run) started but not in history")
                #expect(record.map { [.ok, .interrupted].contains($0.result) } ?? true, "\(job): run \(started.run)")
                #expect(record.map { RFC3339.format($0.scheduled) } == started.scheduled || record == nil)
            }
            // Fired once: no scheduled instant was started twice.
            let firings = startedByJob[job, default: []].map(\.scheduled)
            #expect(Set(firings).count == firings.count, "\(job): a firing started twice")
        }
        #expect(store.unfinishedRuns.isEmpty)
        try store.close()
    }
}
