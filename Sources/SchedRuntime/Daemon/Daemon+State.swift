import SchedCore
import SchedTime

// MARK: - Persistent state: the hooks between the daemon and its StateStore
//
// 1. Start (`openState()`, from `run()` before `@reboot` jobs fire): open the store under
//    `state_dir` (damaged files are moved aside and logged; a store that cannot be opened at all is
//    logged loudly and the daemon runs without persistence rather than crash-looping), apply the
//    config, rebuild the core with run numbers past every stored id, restore each job's persisted
//    facts and perform the catch-up actions (missed/coalesced records, catch-up runs, reruns of
//    interrupted runs for `on_interrupted = "rerun"`). History is then served from the store.
// 2. Each batch of actions (`perform`): the batch's ledger entries (plus the core's changed job
//    states and records queued earlier) go to the store's background writer as one frame, and the
//    batch's processes are held back until that frame is on disk — the fired-once guarantee
//    without the event loop ever waiting for `fdatasync`. The writer wakes the loop through an
//    eventfd (`startDurableRuns`). After the batch, its records and state changes are committed
//    the same way (no waiting) and a compaction starts in the background when due.
// 3. Reload applies the new config to the store (history limits, removed jobs kept for a while).
// 4. Shutdown flushes and closes the store after the loop ends. Starts still waiting for the disk
//    at that point never ran; their ledger entries turn into `interrupted` records at the next start.

/// The daemon's link to its state store.
struct DaemonPersistence {
    let store: StateStore
    /// Written by the store's writer after each journal write; wakes the loop.
    let wakeup: WakeupDescriptor
    var registration: EventLoop.Registration?
    /// Runs whose ledger frame is not on disk yet, in order.
    var awaitingDisk: [(frame: UInt64, request: RunRequest)] = []
    var isFailureLogged = false
}

extension Daemon {
    /// Opens the store, restores the core from it and performs the catch-up. Called once by `run()`.
    func openState() {
        let now = WallClock.now()
        let directory = config.settings.stateDirectory
        var persistence: DaemonPersistence
        do {
            persistence = try Self.openPersistence(directory: directory, logger: logger, now: now)
        } catch {
            logStateUnavailable(error)
            return
        }
        do {
            persistence.registration = try loop.register(persistence.wakeup.descriptor) { [unowned self] in
                self.persistence?.wakeup.drain()
                startDurableRuns()
            }
        } catch {
            try? persistence.store.close()
            persistence.wakeup.close()
            logStateUnavailable(error)
            return
        }
        self.persistence = persistence
        let store = persistence.store
        history = store
        store.apply(config: config, now: now)
        let report = store.loadReport
        logger.info(
            "state_loaded",
            [
                "dir": .string(directory), "jobs": .integer(Int64(report.jobs)),
                "records": .integer(Int64(report.records)), "interrupted": .integer(Int64(report.interrupted.count)),
                "problems": .integer(Int64(report.problems.count)), "catch_up_to": .string(RFC3339.format(now)),
            ]
        )
        for record in report.interrupted {
            logger.recorded(record)
            for observer in observers { observer.daemon(self, didRecord: record) }
        }
        core = SchedulerCore(
            config: config,
            now: now,
            random: JitterRandom(seed: UInt64(bitPattern: now.nanosecondsSinceEpoch)),
            firstRunNumber: store.nextRunNumber
        )
        perform(core.restore(store.persistedStates, interrupted: report.interrupted, now: now))
    }

    /// A store that cannot be opened at all does not stop the daemon; it says so loudly.
    private func logStateUnavailable(_ error: any Error) {
        logger.error("state_unavailable", ["error": .string("\(error)"), "detail": "running without persistent state"])
    }

    /// The store and the eventfd its writer wakes the loop with; nothing stays open on failure.
    static func openPersistence(directory: String, logger: Logger, now: Instant) throws -> DaemonPersistence {
        let wakeup = try WakeupDescriptor()
        do {
            let store = try StateStore.open(directory: directory, logger: logger, now: now) { _ in wakeup.signal() }
            return DaemonPersistence(store: store, wakeup: wakeup)
        } catch {
            wakeup.close()
            throw error
        }
    }

    /// Queues the batch's ledger entries (with the core's changed job states) as one frame and
    /// returns its sequence number, or nil when the batch starts nothing (or there is no store).
    func persistStarts(in actions: [SchedulerAction]) -> UInt64? {
        guard let store = persistence?.store, phase != .stopping else { return nil }
        let now = WallClock.now()
        var runs: [StartedRun] = []
        for case .start(let request) in actions { runs.append(StartedRun(request, started: now)) }
        guard !runs.isEmpty else { return nil }
        store.update(core.takePersistedChanges())
        store.queueStarted(runs)
        return store.commit()
    }

    /// Holds `request` until ledger frame `frame` is on disk.
    func startWhenDurable(_ request: RunRequest, frame: UInt64) {
        persistence?.awaitingDisk.append((frame, request))
    }

    /// Starts the held runs whose ledger frame is on disk. When the journal cannot be written the
    /// runs start anyway (a full disk must not stop the schedule), with an error logged.
    func startDurableRuns() {
        guard let persistence, !persistence.awaitingDisk.isEmpty else { return }
        let durable = persistence.store.durableSequence
        let failure = persistence.store.lastWriteFailure
        let ready = persistence.awaitingDisk.prefix { $0.frame <= durable || failure != nil }
        guard !ready.isEmpty else { return }
        self.persistence?.awaitingDisk.removeFirst(ready.count)
        if let failure {
            logger.error(
                "state_write_failed",
                ["error": .string(failure.description), "starting_unrecorded": .integer(Int64(ready.count))]
            )
        }
        for entry in ready { startQueue.append(entry.request) }
        drainStartQueue()
        rearmAlarm()
        publishStatusIfChanged()
        commitState()
    }

    /// Hands the batch's records and state changes to the background writer; compacts when due.
    func commitState() {
        guard let store = persistence?.store else { return }
        store.update(core.takePersistedChanges())
        store.commit()
        if let failure = store.lastWriteFailure {
            if persistence?.isFailureLogged == false {
                persistence?.isFailureLogged = true
                logger.error("state_write_failed", ["error": .string(failure.description)])
            }
        } else {
            persistence?.isFailureLogged = false
        }
        store.compactIfNeeded(now: WallClock.now())
        // The frame may already be on disk (a fast writer): start what waits for it now.
        if persistence?.awaitingDisk.isEmpty == false, store.durableSequence >= persistence?.awaitingDisk[0].frame ?? 0
        {
            startDurableRuns()
        }
    }

    /// Takes a reloaded config: history limits, jobs removed and re-added.
    func applyConfigToState(_ config: ScheduleConfig, now: Instant) {
        persistence?.store.apply(config: config, now: now)
    }

    /// Flushes and closes the store at the end of shutdown, then stops listening to its writer.
    func closeState() {
        guard let persistence else { return }
        persistence.store.update(core.takePersistedChanges())
        do {
            try persistence.store.close()
        } catch {
            logger.error("state_write_failed", ["error": .string(error.description)])
        }
        if let registration = persistence.registration { loop.unregister(registration) }
        persistence.wakeup.close()
        self.persistence = nil
    }
}
