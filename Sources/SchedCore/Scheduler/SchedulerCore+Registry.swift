public import SchedTime

// MARK: - Registry: add, replace, remove, apply a config, pause, resume

extension SchedulerCore {
    /// Adds `job`, armed for its first firing after `now`.
    ///
    /// - Throws: `SchedulerError.Code.jobExists` when the id exists and `replaceExisting` is false.
    public mutating func add(_ job: JobConfig, replaceExisting: Bool = false, now: Instant) throws(SchedulerError)
        -> [SchedulerAction]
    {
        noteTime(now)
        if let slot = slotByID[job.id] {
            guard replaceExisting else { throw SchedulerError(code: .jobExists, jobID: job.id) }
            replaceDefinition(slot: slot, with: job, now: now)
        } else {
            insertJob(job, now: now)
        }
        var actions: [SchedulerAction] = []
        drain(now: now, into: &actions)
        return actions
    }

    /// Replaces the definition of the existing job `job.id`, keeping its history and run state
    /// and recomputing its next firing.
    ///
    /// - Throws: `SchedulerError.Code.unknownJob` when no job has the id.
    public mutating func replace(_ job: JobConfig, now: Instant) throws(SchedulerError) -> [SchedulerAction] {
        noteTime(now)
        let slot = try requireSlot(job.id)
        replaceDefinition(slot: slot, with: job, now: now)
        var actions: [SchedulerAction] = []
        drain(now: now, into: &actions)
        return actions
    }

    /// Removes the job `id`. Its runs in flight go on and are recorded when they end; its queued
    /// firing and pending retries are dropped and recorded as `skipped`.
    ///
    /// - Throws: `SchedulerError.Code.unknownJob` when no job has the id.
    public mutating func remove(jobID id: String, now: Instant) throws(SchedulerError) -> [SchedulerAction] {
        noteTime(now)
        let slot = try requireSlot(id)
        var actions: [SchedulerAction] = []
        removeJob(slot: slot, now: now, into: &actions)
        drain(now: now, into: &actions)
        return actions
    }

    /// Makes the running set of jobs match `config`: adds new ids, replaces changed definitions
    /// (keeping state), leaves unchanged ones alone and removes the rest. Runs in flight are never
    /// stopped. Also takes over `max_concurrent`.
    public mutating func apply(config: ScheduleConfig, now: Instant) -> (diff: ConfigDiff, actions: [SchedulerAction]) {
        noteTime(now)
        var diff = ConfigDiff()
        var actions: [SchedulerAction] = []
        let newIDs = Set(config.jobs.map(\.id))
        for slot in slots.indices {
            guard slots[slot].isLive, case let job = slots[slot], !newIDs.contains(job.id) else { continue }
            diff.removed.append(job.id)
            removeJob(slot: Int32(slot), now: now, into: &actions)
        }
        for job in config.jobs {
            guard let slot = slotByID[job.id], slots[Int(slot)].isLive, case let existing = slots[Int(slot)] else {
                insertJob(job, now: now)
                diff.added.append(job.id)
                continue
            }
            var comparable = existing.definition.config
            comparable.location = job.location
            if comparable == job {
                // Same definition written elsewhere: keep the timer, refresh the location.
                slots[Int(slot)].definition = JobDefinition(job)
                diff.unchanged.append(job.id)
            } else {
                replaceDefinition(slot: slot, with: job, now: now)
                diff.replaced.append(job.id)
            }
        }
        maxConcurrent = max(1, config.settings.maxConcurrent)
        drain(now: now, into: &actions)
        return (diff, actions)
    }

    /// Stops the job `id` from firing until `resume`. Active runs go on; its queued firing and
    /// pending retries are dropped and recorded as `skipped`. Firings during the pause are not
    /// made up later.
    ///
    /// - Throws: `SchedulerError.Code.unknownJob` when no job has the id.
    public mutating func pause(jobID id: String, now: Instant) throws(SchedulerError) -> [SchedulerAction] {
        noteTime(now)
        let slot = try requireSlot(id)
        var actions: [SchedulerAction] = []
        guard slots[Int(slot)].paused == false else { return actions }
        slots[Int(slot)].paused = true
        markChanged(slot)
        disarm(slot: slot)
        dropWaitingWork(slot: slot, reason: "job paused", into: &actions)
        return actions
    }

    /// Lets the paused job `id` fire again, from its next firing after `now`.
    ///
    /// - Throws: `SchedulerError.Code.unknownJob` when no job has the id.
    public mutating func resume(jobID id: String, now: Instant) throws(SchedulerError) -> [SchedulerAction] {
        noteTime(now)
        let slot = try requireSlot(id)
        guard slots[Int(slot)].paused == true else { return [] }
        slots[Int(slot)].paused = false
        markChanged(slot)
        arm(slot: slot, after: now)
        return []
    }

    // MARK: - Internals

    func requireSlot(_ id: String) throws(SchedulerError) -> Int32 {
        if let slot = slotByID[id] { return slot }
        let suggestion = KeySuggestion.closest(to: id, among: Array(slotByID.keys).sorted())
        throw SchedulerError(code: .unknownJob, jobID: id, suggestion: suggestion)
    }

    /// Stores a new job in a free slot and arms it.
    mutating func insertJob(_ job: JobConfig, now: Instant) {
        let state = JobState(definition: JobDefinition(job), firstAdded: now)
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            slots[Int(slot)] = state
        } else {
            slot = Int32(slots.count)
            slots.append(state)
        }
        slotByID[job.id] = slot
        markChanged(slot)
        arm(slot: slot, after: now)
    }

    /// Swaps in a new definition, keeping the job's state, and recomputes its next firing.
    mutating func replaceDefinition(slot: Int32, with job: JobConfig, now: Instant) {
        disarm(slot: slot)
        slots[Int(slot)].definition = JobDefinition(job)
        arm(slot: slot, after: now)
    }

    mutating func removeJob(slot: Int32, now: Instant, into actions: inout [SchedulerAction]) {
        guard slots[Int(slot)].isLive, case let job = slots[Int(slot)] else { return }
        disarm(slot: slot)
        dropWaitingWork(slot: slot, reason: "job removed", into: &actions)
        for firing in pending.removeAll(where: { $0.slot == slot }) {
            actions.append(.record(skippedRecord(firing, jobID: job.id, reason: "job removed")))
        }
        slots[Int(slot)] = JobState(definition: job.definition, firstAdded: job.firstAdded)
        slots[Int(slot)].isLive = false
        slotByID[job.id] = nil
        freeSlots.append(slot)
    }

    /// Drops the job's queued firing, waiting retries and run-now requests and its retry timers,
    /// recording each as `skipped` with `reason`.
    mutating func dropWaitingWork(slot: Int32, reason: String, into actions: inout [SchedulerAction]) {
        guard slots[Int(slot)].isLive, case var job = slots[Int(slot)] else { return }
        var dropped = job.waiting
        if let queued = queuedFirings.removeValue(forKey: slot) { dropped.append(queued) }
        job.waiting = []
        slots[Int(slot)] = job
        for (id, retry) in retries where retry.firing.slot == slot {
            wheel.cancel(retry.handle)
            retries[id] = nil
            dropped.append(retry.firing)
        }
        for firing in dropped.sorted(by: { $0.runID < $1.runID }) {
            actions.append(.record(skippedRecord(firing, jobID: job.id, reason: reason)))
        }
    }

    /// Arms the job's wheel entry for its first firing after `instant` (and after every firing it
    /// already handled), unless it is disabled, paused, `@reboot` or has no further firing.
    mutating func arm(slot: Int32, after instant: Instant) {
        guard slots[Int(slot)].isLive, case let job = slots[Int(slot)] else { return }
        var from = instant
        if let last = job.lastScheduled, last > from { from = last }
        let config = job.definition.config
        guard config.enabled, !job.paused,
            let fire = job.definition.rule.nextFire(after: from, everyAnchor: job.firstAdded)
        else { return }
        arm(slot: slot, fire: fire)
    }

    /// Arms the job's wheel entry for the nominal firing `fire`, drawing its jitter delay.
    mutating func arm(slot: Int32, fire: Instant) {
        guard slots[Int(slot)].isLive else { return }
        var due = fire
        let jitterNanoseconds = slots[Int(slot)].definition.jitterNanoseconds
        if jitterNanoseconds > 0 {
            due = fire + .nanoseconds(Int64(random.next(upperBound: UInt64(jitterNanoseconds) + 1)))
        }
        let handle = wheel.insert(.job(slot), at: Self.tick(roundingUp: due))
        slots[Int(slot)].nextFire = fire
        slots[Int(slot)].nextDue = due
        slots[Int(slot)].timer = handle
    }

    mutating func disarm(slot: Int32) {
        guard slots[Int(slot)].isLive, case let job = slots[Int(slot)] else { return }
        if let handle = job.timer { wheel.cancel(handle) }
        slots[Int(slot)].timer = nil
        slots[Int(slot)].nextFire = nil
        slots[Int(slot)].nextDue = nil
    }

    /// Remembers the latest time the shell reported.
    mutating func noteTime(_ instant: Instant) {
        if instant > now { now = instant }
    }

    func skippedRecord(_ firing: Firing, jobID: String, reason: String) -> RunRecord {
        RunRecord(
            runID: firing.runID,
            job: jobID,
            scheduled: firing.scheduled,
            attempt: firing.attempt,
            result: .skipped,
            reason: reason
        )
    }
}
