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
// 2. Each batch of actions (`perform`): BEFORE any process of the batch starts, its ledger entries
//    (plus the core's changed job states and earlier queued records) are written and synced in one
//    frame — the fired-once guarantee. After the batch, its records and state changes are handed
//    to the store's background writer (`commit`, no waiting) and a compaction starts when due.
// 3. Reload applies the new config to the store (history limits, removed jobs kept for a while).
// 4. Shutdown flushes and closes the store after the loop ends.

extension Daemon {
    /// Opens the store, restores the core from it and performs the catch-up. Called once by `run()`.
    func openState() {
        let now = WallClock.now()
        let directory = config.settings.stateDirectory
        let store: StateStore
        do {
            store = try StateStore.open(directory: directory, logger: logger, now: now)
        } catch {
            logger.error(
                "state_unavailable",
                ["error": .string(error.description), "detail": "running without persistent state"]
            )
            return
        }
        stateStore = store
        history = store
        store.apply(config: config, now: now)
        let report = store.loadReport
        logger.info(
            "state_loaded",
            [
                "dir": .string(directory), "jobs": .integer(Int64(report.jobs)),
                "records": .integer(Int64(report.records)), "interrupted": .integer(Int64(report.interrupted.count)),
                "problems": .integer(Int64(report.problems.count)),
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

    /// Makes the batch's starts durable before any of their processes exists (one sync for all).
    func persistStarts(in actions: [SchedulerAction]) {
        guard let store = stateStore, phase != .stopping else { return }
        let starts = actions.compactMap { action -> RunRequest? in
            if case .start(let request) = action { return request }
            return nil
        }
        guard !starts.isEmpty else { return }
        store.update(core.takePersistedChanges())
        do {
            try store.recordStarted(starts, at: WallClock.now())
        } catch {
            // Starting anyway: a full disk must not stop the schedule. The run may then be
            // started again after a crash, which the log says.
            logger.error(
                "state_write_failed",
                ["error": .string(error.description), "runs": .integer(Int64(starts.count))]
            )
        }
    }

    /// Hands the batch's records and state changes to the background writer; compacts when due.
    func commitState() {
        guard let store = stateStore else { return }
        store.update(core.takePersistedChanges())
        store.commit()
        if let failure = store.lastWriteFailure {
            if !isStateFailureLogged {
                isStateFailureLogged = true
                logger.error("state_write_failed", ["error": .string(failure.description)])
            }
        } else {
            isStateFailureLogged = false
        }
        store.compactIfNeeded(now: WallClock.now())
    }

    /// Takes a reloaded config: history limits, jobs removed and re-added.
    func applyConfigToState(_ config: ScheduleConfig, now: Instant) {
        stateStore?.apply(config: config, now: now)
    }

    /// Flushes and closes the store at the end of shutdown.
    func closeState() {
        guard let store = stateStore else { return }
        store.update(core.takePersistedChanges())
        do {
            try store.close()
        } catch {
            logger.error("state_write_failed", ["error": .string(error.description)])
        }
        stateStore = nil
    }
}
