public import SchedCore
public import SchedTime

// MARK: - Design note
//
// The daemon's memory across restarts (file layout: StateFileFormat.swift). Per job: the core's
// persisted facts (`PersistedJobState`), the run history (`history` runs, `history_max_age`), and
// for a job that left the config, when it did (kept `removedJobRetention`, then pruned, so an
// accidental removal and re-add keeps its history). Plus the fired-once ledger: runs started but
// not yet finished.
//
// Write path. Every change is applied to memory at once and queued as a `StateEntry`; `flush()`
// writes the queue as one journal frame (one `write`, one `fdatasync`). `recordStarted` flushes
// before returning, so the ledger entry is on disk before the process starts; the daemon calls
// `flush()` after each batch of actions otherwise. `compact(now:)` rewrites the snapshot and
// empties the journal once the journal outgrows the snapshot.
//
// Read path. `open` loads snapshot + journal (damage is survived, see StateFileFormat.swift), turns
// ledger entries that were never closed into `interrupted` records, and writes those back at once.
//
// Threading: not thread-safe; the daemon owns it on its event-loop thread.

/// A crash-safe store of job state and run history under `state_dir`; see the note above.
public final class StateStore {
    /// Tuning knobs; the defaults suit the daemon.
    public struct Options: Sendable {
        /// How long the state of a job removed from the config is kept. Default 7 days.
        public var removedJobRetention: Duration
        /// The journal is compacted into the snapshot once it is larger than this and larger than
        /// the snapshot. Default 1 MiB.
        public var compactionThreshold: Int

        public init(removedJobRetention: Duration = .seconds(7 * 86_400), compactionThreshold: Int = 1 << 20) {
            self.removedJobRetention = removedJobRetention
            self.compactionThreshold = compactionThreshold
        }
    }

    public let directory: String
    let options: Options
    let logger: Logger
    var jobs: [String: StoredJob] = [:]
    /// Runs started and not yet recorded, by run id.
    var ledger: [RunID: StartedRun] = [:]
    /// The sequence number of the last frame written (or loaded).
    var sequence: UInt64 = 0
    var maxRunNumber: UInt64 = 0
    /// Entries applied in memory but not yet written.
    var pending: [StateEntry] = []
    var writer = ByteWriter(capacity: 4096)
    var journal: FileDescriptor?
    var journalLength = 0
    var snapshotLength = 0
    /// What `open` found.
    public internal(set) var loadReport = StateLoadReport()

    var snapshotPath: String { directory + "/state.snapshot" }
    var journalPath: String { directory + "/state.journal" }

    init(directory: String, options: Options, logger: Logger) {
        self.directory = directory
        self.options = options
        self.logger = logger
    }

    deinit {
        journal?.close()
    }

    // MARK: - Reading

    /// The persisted facts of every job with stored state (removed jobs included; the core
    /// ignores ids it does not know).
    public var persistedStates: [PersistedJobState] {
        jobs.values.compactMap(\.state).sorted { $0.jobID < $1.jobID }
    }

    public func persistedState(of job: String) -> PersistedJobState? {
        jobs[job]?.state
    }

    /// The newest `limit` records of `job` (all when nil), oldest first.
    public func history(job: String, limit: Int? = nil) -> [RunRecord] {
        guard let history = jobs[job]?.history else { return [] }
        guard let limit else { return history }
        return Array(history.suffix(max(0, limit)))
    }

    /// Every job id the store knows, removed ones included, sorted.
    public var jobIDs: [String] { jobs.keys.sorted() }

    /// When `job` left the config, if it did and is still kept.
    public func removedAt(job: String) -> Instant? {
        jobs[job]?.removedAt
    }

    /// Runs started and not finished, oldest run id first.
    public var unfinishedRuns: [StartedRun] {
        ledger.values.sorted { $0.runID < $1.runID }
    }

    /// A run number past every id the store has seen, for `SchedulerCore(firstRunNumber:)`.
    public var nextRunNumber: UInt64 { maxRunNumber + 1 }

    // MARK: - Writing

    /// Takes the config's per-job history limits, marks jobs that left the config as removed (and
    /// ones that came back as present), and prunes what is past its retention.
    public func apply(config: ScheduleConfig, now: Instant) {
        var live = Set<String>()
        live.reserveCapacity(config.jobs.count)
        for job in config.jobs {
            live.insert(job.id)
            var stored = jobs.removeValue(forKey: job.id) ?? StoredJob()
            stored.historyLimit = job.history
            stored.historyMaxAge = job.historyMaxAge
            stored.trimHistory(now: now)
            if stored.removedAt != nil {
                stored.removedAt = nil
                pending.append(.present(jobID: job.id))
            }
            jobs[job.id] = stored
        }
        for (id, stored) in jobs where !live.contains(id) && stored.removedAt == nil {
            apply(.removed(jobID: id, at: now))
        }
        prune(now: now)
    }

    /// Stores the core's changed job states (`SchedulerCore.takePersistedChanges()`).
    public func update(_ states: [PersistedJobState]) {
        for state in states { apply(.state(state)) }
    }

    /// Records that `requests` are about to start and makes that durable before returning, with
    /// everything else queued (the fired-once ledger: write this, then start the processes).
    ///
    /// - Throws: `StateError` when the journal cannot be written; the entries stay queued and
    ///   are retried by the next flush.
    public func recordStarted(_ requests: [RunRequest], at instant: Instant) throws(StateError) {
        for request in requests { apply(.started(StartedRun(request, started: instant))) }
        try flush()
    }

    /// One request; see `recordStarted(_:at:)`.
    public func recordStarted(_ request: RunRequest, at instant: Instant) throws(StateError) {
        try recordStarted([request], at: instant)
    }

    /// Queues a finished, skipped, missed or interrupted run for history (closing its ledger
    /// entry); durable at the next `flush()`.
    public func recordFinished(_ record: RunRecord) {
        apply(.record(record))
    }

    /// Applies `entry` in memory and queues it for the journal.
    func apply(_ entry: StateEntry) {
        applyInMemory(entry)
        pending.append(entry)
    }

    /// The effect of one entry on memory: shared by live writes and journal replay.
    func applyInMemory(_ entry: StateEntry) {
        switch entry {
        case .started(let run):
            ledger[run.runID] = run
            maxRunNumber = max(maxRunNumber, run.runID.rawValue)
            guard !run.isManual else { return }
            // The ledger is synced before the run starts, the job state maybe only after: the
            // last handled firing is at least this one.
            var state = jobs[run.jobID]?.state ?? PersistedJobState(jobID: run.jobID, firstAdded: run.scheduled)
            state.lastScheduled = max(state.lastScheduled ?? run.scheduled, run.scheduled)
            jobs[run.jobID, default: StoredJob()].state = state
        case .record(let record):
            ledger[record.runID] = nil
            maxRunNumber = max(maxRunNumber, record.runID.rawValue)
            jobs[record.job, default: StoredJob()].append(record)
        case .state(var state):
            // The high-water mark never moves back (a re-added job starts afresh in the core).
            if let stored = jobs[state.jobID]?.state?.lastScheduled {
                state.lastScheduled = max(stored, state.lastScheduled ?? stored)
            }
            if let last = state.last { maxRunNumber = max(maxRunNumber, last.runID.rawValue) }
            jobs[state.jobID, default: StoredJob()].state = state
        case .removed(let jobID, let at):
            jobs[jobID, default: StoredJob()].removedAt = at
        case .present(let jobID):
            jobs[jobID]?.removedAt = nil
        }
    }

    /// Drops jobs removed longer than the retention period and history past its age limit.
    func prune(now: Instant) {
        let cutoff = now - options.removedJobRetention
        for (id, stored) in jobs {
            if let removedAt = stored.removedAt, removedAt < cutoff {
                jobs[id] = nil
            } else if stored.historyMaxAge != nil {
                jobs[id]?.trimHistory(now: now)
            }
        }
    }

    /// Writes queued entries as one journal frame and syncs it. Nothing queued: nothing written.
    ///
    /// - Throws: `StateError` (`.writeJournal`); the file is cut back to its last good frame and
    ///   the entries stay queued for the next attempt.
    public func flush() throws(StateError) {
        guard !pending.isEmpty else { return }
        guard let journal else { throw StateError(code: .writeJournal, path: journalPath) }
        let frameSequence = sequence + 1
        writer.removeAll()
        StateFileFormat.appendFrame(to: &writer) { writer in
            writer.write(frameSequence)
            writer.writeVarint(UInt64(pending.count))
            for entry in pending { writer.write(entry) }
        }
        do throws(Errno) {
            try journal.writeAll(writer.bytes, at: journalLength)
            try journal.syncData()
        } catch {
            // A partial frame must not stay: frames after it would be unreachable at load.
            try? journal.truncate(to: journalLength)
            throw StateError(code: .writeJournal, path: journalPath, underlying: error)
        }
        journalLength += writer.bytes.count
        sequence = frameSequence
        pending.removeAll(keepingCapacity: true)
        if writer.bytes.count > 1 << 20 { writer = ByteWriter(capacity: 4096) }
    }

    /// True when the journal has grown enough that `compact(now:)` is worth its cost.
    public var needsCompaction: Bool {
        journalLength > max(options.compactionThreshold, snapshotLength)
    }

    /// Compacts when `needsCompaction`; returns whether it did.
    @discardableResult
    public func compactIfNeeded(now: Instant) throws(StateError) -> Bool {
        guard needsCompaction else { return false }
        try compact(now: now)
        return true
    }

    /// Flushes, then closes the journal. The store is unusable afterwards.
    public func close() throws(StateError) {
        defer {
            journal?.close()
            journal = nil
        }
        try flush()
    }
}
