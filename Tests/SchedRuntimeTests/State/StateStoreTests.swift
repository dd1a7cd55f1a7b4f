import SchedCore
import SchedTime
import Testing

@testable import SchedRuntime

/// The state store on a real folder: round trips, the fired-once ledger, retention, limits, order.
@Suite struct StateStoreTests {
    typealias Fixture = StateFixture
    static let t0 = StateFixture.t0

    @Test("job states, history and run numbers survive a reopen, with every run-object field")
    func roundTrip() throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        var full = Fixture.record(7, job: "backup", result: .failed)
        full.reason = "exit 3 — ünïcode"
        full.exitCode = 3
        full.signal = 15
        full.httpStatus = 503
        full.latency = .milliseconds(1234)
        full.outputTail = "line 1\nline 2\n"
        full.attempt = 2
        full.firings = 4
        let missed = RunRecord(
            runID: RunID(rawValue: 8),
            job: "backup",
            scheduled: Self.t0 + .seconds(8),
            attempt: 1,
            result: .missed,
            reason: "not started"
        )
        let state = PersistedJobState(
            jobID: "backup",
            lastScheduled: Self.t0 + .seconds(8),
            paused: true,
            firstAdded: Self.t0 - .seconds(3600),
            consecutiveFailures: 2,
            last: missed
        )
        do {
            let store = try Fixture.open(directory)
            store.apply(config: Fixture.config(["backup", "report"]), now: Self.t0)
            store.update([state])
            store.recordFinished(full)
            store.recordFinished(missed)
            store.recordFinished(Fixture.record(9, job: "report"))
            try store.close()
        }
        let store = try Fixture.open(directory)
        #expect(store.persistedState(of: "backup") == state)
        #expect(store.history(job: "backup") == [full, missed])
        #expect(store.history(job: "report").map(\.runID.rawValue) == [9])
        #expect(store.history(job: "backup", limit: 1) == [missed])
        #expect(store.nextRunNumber == 10)
        #expect(store.loadReport.problems.isEmpty)
        #expect(store.loadReport.interrupted.isEmpty)
        // The same after compaction into a snapshot (histories then load lazily).
        try store.compact(now: Self.t0)
        try store.close()
        let compacted = try Fixture.open(directory)
        #expect(compacted.persistedState(of: "backup") == state)
        #expect(compacted.history(job: "backup") == [full, missed])
        #expect(compacted.nextRunNumber == 10)
        #expect(compacted.loadReport.journalFrames == 0)
        #expect(compacted.loadReport.records == 3)
    }

    @Test("a run started and never finished becomes one interrupted record, and only once")
    func interruptedOnce() throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        do {
            let store = try Fixture.open(directory)
            store.update([PersistedJobState(jobID: "sync", firstAdded: Self.t0)])
            try store.recordStarted([Fixture.started(1, job: "sync")])
            store.recordFinished(Fixture.record(1, job: "sync"))
            try store.recordStarted([Fixture.started(2, job: "sync")])
            // The next firing finds run 2 still active and is skipped.
            let skipped = RunRecord(
                runID: RunID(rawValue: 3),
                job: "sync",
                scheduled: Self.t0 + .milliseconds(2_500),
                attempt: 1,
                result: .skipped
            )
            store.recordFinished(skipped)
            try store.flush()
            // Crash: no close, no finish for run 2. The ledger entry is already on disk.
        }
        let store = try Fixture.open(directory, now: Self.t0 + .seconds(60))
        let interrupted = store.loadReport.interrupted
        #expect(interrupted.map(\.runID.rawValue) == [2])
        #expect(interrupted.first?.result == .interrupted)
        #expect(interrupted.first?.scheduled == Self.t0 + .seconds(2))
        // Recorded at this start, but placed at its own start time: before the firing skipped
        // while it was running.
        #expect(store.history(job: "sync").map(\.result) == [.ok, .interrupted, .skipped])
        #expect(store.history(job: "sync").map(\.runID.rawValue) == [1, 2, 3])
        #expect(store.persistedState(of: "sync")?.last?.result == .interrupted)
        // The ledger made the firing count as handled even though no job state said so.
        #expect(store.persistedState(of: "sync")?.lastScheduled == Self.t0 + .seconds(2))
        try store.close()
        let again = try Fixture.open(directory)
        #expect(again.loadReport.interrupted.isEmpty)
        #expect(again.history(job: "sync").map(\.result) == [.ok, .interrupted, .skipped])
    }

    @Test("a run-now start does not move the job's last handled firing")
    func manualStartDoesNotMoveLastScheduled() throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        let store = try Fixture.open(directory)
        store.update([PersistedJobState(jobID: "a", lastScheduled: Self.t0, firstAdded: Self.t0)])
        try store.recordStarted([Fixture.started(500, job: "a", manual: true)])
        #expect(store.persistedState(of: "a")?.lastScheduled == Self.t0)
        try store.recordStarted([Fixture.started(501, job: "a")])
        #expect(store.persistedState(of: "a")?.lastScheduled == Self.t0 + .seconds(501))
        // An older state from the core never moves it back.
        store.update([PersistedJobState(jobID: "a", lastScheduled: Self.t0, firstAdded: Self.t0)])
        #expect(store.persistedState(of: "a")?.lastScheduled == Self.t0 + .seconds(501))
    }

    @Test("a removed job keeps its state for the retention period, comes back intact, then is pruned")
    func removedJobRetention() throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        let options = StateStore.Options(removedJobRetention: .seconds(3600))
        let day = Duration.seconds(86_400)
        do {
            let store = try Fixture.open(directory, options: options)
            store.apply(config: Fixture.config(["keep", "gone"]), now: Self.t0)
            store.update([PersistedJobState(jobID: "gone", firstAdded: Self.t0)])
            store.recordFinished(Fixture.record(1, job: "gone"))
            store.apply(config: Fixture.config(["keep"]), now: Self.t0 + .seconds(10))
            #expect(store.removedAt(job: "gone") == Self.t0 + .seconds(10))
            try store.close()
        }
        do {
            // Re-added within the hour: history and state are still there.
            let store = try Fixture.open(directory, options: options)
            #expect(store.removedAt(job: "gone") == Self.t0 + .seconds(10))
            store.apply(config: Fixture.config(["keep", "gone"]), now: Self.t0 + .seconds(600))
            #expect(store.removedAt(job: "gone") == nil)
            #expect(store.history(job: "gone").count == 1)
            store.apply(config: Fixture.config(["keep"]), now: Self.t0 + .seconds(700))
            try store.close()
        }
        let store = try Fixture.open(directory, options: options)
        store.apply(config: Fixture.config(["keep"]), now: Self.t0 + day)
        #expect(store.jobIDs == ["keep"])
        #expect(store.history(job: "gone").isEmpty)
        try store.compact(now: Self.t0 + day)
        try store.close()
        #expect(try Fixture.open(directory, options: options).jobIDs == ["keep"])
    }

    @Test("history keeps the newest `history` records and drops those older than history_max_age")
    func historyCaps() throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        do {
            let store = try Fixture.open(directory)
            store.apply(config: Fixture.config(["a"], history: 3), now: Self.t0)
            for number in 1...10 as ClosedRange<UInt64> { store.recordFinished(Fixture.record(number, job: "a")) }
            #expect(store.history(job: "a").map(\.runID.rawValue) == [8, 9, 10])
            try store.compact(now: Self.t0)
            try store.close()
        }
        do {
            // The snapshot holds only the kept records; a lower limit on reload trims further.
            let store = try Fixture.open(directory)
            #expect(store.loadReport.records == 3)
            store.apply(config: Fixture.config(["a"], history: 2), now: Self.t0)
            #expect(store.history(job: "a").map(\.runID.rawValue) == [9, 10])
            try store.close()
        }
        let store = try Fixture.open(directory)
        // Records end at t0 + n s + 0.9 s; one hour of age at t0 + 3609.95 s keeps 10 only.
        store.apply(config: Fixture.config(["a"], maxAge: .seconds(3600)), now: Self.t0 + .milliseconds(3_609_950))
        #expect(store.history(job: "a").map(\.runID.rawValue) == [10])
    }

    @Test("history comes back in the order it was recorded, per job, across frames and compaction")
    func ordering() throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        let jobs = ["a", "b", "c"]
        var expected: [String: [UInt64]] = [:]
        do {
            let store = try Fixture.open(directory, options: StateStore.Options(compactionThreshold: 2048))
            store.apply(config: Fixture.config(jobs, history: 1000), now: Self.t0)
            var generator = SystemRandomNumberGenerator()
            for number in 1...300 as ClosedRange<UInt64> {
                let job = jobs.randomElement(using: &generator)!
                store.recordFinished(Fixture.record(number, job: job))
                expected[job, default: []].append(number)
                if number % 7 == 0 { try store.flush() }
                if number % 50 == 0 { store.compactIfNeeded(now: Self.t0) }
            }
            try store.close()
        }
        let store = try Fixture.open(directory)
        store.apply(config: Fixture.config(jobs, history: 1000), now: Self.t0)
        for job in jobs {
            #expect(store.history(job: job).map(\.runID.rawValue) == expected[job, default: []])
        }
    }

    @Test("a crash between the snapshot rename and the journal reset replays nothing twice")
    func compactionCrashWindow() throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        let store = try Fixture.open(directory)
        store.apply(config: Fixture.config(["a"]), now: Self.t0)
        for number in 1...5 as ClosedRange<UInt64> { store.recordFinished(Fixture.record(number, job: "a")) }
        try store.flush()
        let oldJournal = Fixture.bytes(directory + "/state.journal")
        try store.compact(now: Self.t0)
        try store.close()
        // As if the crash came after step 2: new snapshot, old journal.
        Fixture.write(oldJournal, to: directory + "/state.journal")
        let reopened = try Fixture.open(directory)
        #expect(reopened.history(job: "a").map(\.runID.rawValue) == [1, 2, 3, 4, 5])
        #expect(reopened.loadReport.problems.isEmpty)
    }

    @Test("a second store on the same folder is refused while the first is open, and allowed after")
    func exclusiveLock() throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        let first = try Fixture.open(directory)
        let error = #expect(throws: StateError.self) { try Fixture.open(directory) }
        #expect(error?.code == .locked)
        #expect(error?.description.contains("in use by another schedd") == true)
        try first.close()
        try Fixture.open(directory).close()
    }

    @Test("commit returns at once and the frame becomes durable in the background")
    func backgroundCommit() async throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        let store = try Fixture.open(directory)
        store.recordFinished(Fixture.record(1, job: "a"))
        let ticket = store.commit()
        #expect(ticket > 0)
        for _ in 0..<2_000 where store.durableSequence < ticket { try await Task.sleep(for: .milliseconds(5)) }
        #expect(store.durableSequence >= ticket)
        #expect(store.commit() == ticket)  // nothing queued: no new frame
    }
}
