public import SchedTime

// MARK: - Persistence: what the shell stores, and restoring it after a restart
//
// The core owns the meaning of its persisted facts; the shell's state store only writes them down.
// 1. While running, every change to a job's persisted facts (last firing handled, pause, first
//    added, last record, failure streak) marks the job; the shell takes the changed states after
//    each batch of actions (`takePersistedChanges()`) and writes them in the same durable batch as
//    the batch's run records, so a crash never separates a record from the state that produced it.
// 2. At the next start the shell builds a core from the config, then calls `restore`, which puts
//    the facts back and re-arms each job for its first firing *after its last handled firing*
//    (not after `now`): firings that fell while the daemon was down are then overdue, and the
//    ordinary overdue pass (see "Overdue firings" in SchedulerCore.swift) runs those within
//    `misfire_grace` (once, with `coalesce`) and records the older ones as missed, with their
//    scheduled times. This is systemd's `Persistent=true` with anacron's bookkeeping.
// 3. Runs that were started but never finished (the shell's fired-once ledger turns them into
//    `interrupted` records) are started again only when their job says `on_interrupted = "rerun"`.
//    Their firings are already covered by `lastScheduled`, so catch-up never starts them twice.

extension SchedulerCore {
    /// The persisted facts of job `id`, or nil when there is no such job.
    public func persistedState(of id: String) -> PersistedJobState? {
        guard let slot = slotByID[id] else { return nil }
        return persistedState(slot: slot)
    }

    /// The persisted facts of every job changed since the last call (each job once, in no
    /// particular order), and forgets the changes. Removed jobs are not listed; the shell learns
    /// about removals from the config.
    public mutating func takePersistedChanges() -> [PersistedJobState] {
        var states: [PersistedJobState] = []
        states.reserveCapacity(changedSlots.count)
        for slot in changedSlots where slots[Int(slot)].hasPersistedChanges {
            slots[Int(slot)].hasPersistedChanges = false
            guard slots[Int(slot)].isLive else { continue }
            states.append(persistedState(slot: slot))
        }
        changedSlots.removeAll(keepingCapacity: true)
        return states
    }

    /// Puts back the state a previous daemon run persisted and catches up on the firings that fell
    /// while it was down (see the note at the top of this file). Call once, right after creating
    /// the core with the current config and before `start(now:)`.
    ///
    /// - Parameters:
    ///   - states: persisted facts per job; states of jobs not in the config are ignored.
    ///   - interrupted: runs a crash or shutdown cut short, already recorded as `interrupted` by the
    ///     shell; those whose job says `on_interrupted = "rerun"` start again (same scheduled time
    ///     and attempt, a new run id).
    /// - Returns: the catch-up actions: missed and coalesced records, starts.
    public mutating func restore(
        _ states: [PersistedJobState],
        interrupted: [RunRecord] = [],
        now: Instant
    ) -> [SchedulerAction] {
        noteTime(now)
        for state in states {
            guard let slot = slotByID[state.jobID], slots[Int(slot)].isLive else { continue }
            restore(state, slot: slot)
        }
        var actions: [SchedulerAction] = []
        for record in interrupted {
            guard let slot = slotByID[record.job], slots[Int(slot)].isLive, case let job = slots[Int(slot)],
                job.definition.config.onInterrupted == .rerun, job.definition.isEnabled, !job.paused
            else { continue }
            let firing = Firing(
                runID: allocateRunID(),
                slot: slot,
                scheduled: record.scheduled,
                attempt: record.attempt,
                kind: .retry,
                startDeadline: nil
            )
            offer(firing, now: now, into: &actions)
        }
        actions += advance(to: now)
        return actions
    }

    // MARK: - Internals

    /// Marks the job's persisted facts as changed (listed once until taken).
    mutating func markChanged(_ slot: Int32) {
        guard !slots[Int(slot)].hasPersistedChanges else { return }
        slots[Int(slot)].hasPersistedChanges = true
        changedSlots.append(slot)
    }

    private func persistedState(slot: Int32) -> PersistedJobState {
        let job = slots[Int(slot)]
        return PersistedJobState(
            jobID: job.id,
            lastScheduled: job.lastScheduled,
            paused: job.paused,
            firstAdded: job.firstAdded,
            consecutiveFailures: Int(job.consecutiveFailures),
            last: job.last.first
        )
    }

    /// Restores one job and re-arms it for its first firing after the last one it handled (or
    /// after it was first added, when it never fired), so missed firings come due at once.
    private mutating func restore(_ state: PersistedJobState, slot: Int32) {
        disarm(slot: slot)
        let index = Int(slot)
        slots[index].firstAdded = state.firstAdded
        slots[index].paused = state.paused
        slots[index].consecutiveFailures = Int32(clamping: state.consecutiveFailures)
        if let last = state.last { slots[index].setLast(last) }
        // The high-water mark only moves forward (a core that already handled a firing keeps it).
        if let restored = state.lastScheduled {
            slots[index].lastScheduled = max(restored, slots[index].lastScheduled ?? restored)
        }
        markChanged(slot)
        let definition = slots[index].definition
        guard definition.isEnabled, !state.paused, !definition.config.trigger.isReboot else { return }
        let from = slots[index].lastScheduled ?? state.firstAdded
        if let fire = definition.rule.nextFire(after: from, everyAnchor: state.firstAdded) {
            arm(slot: slot, fire: fire)
        }
    }
}
