public import SchedTime

// MARK: - Runs: offering, starting, finishing, retrying, run-now

extension SchedulerCore {
    /// Starts a run of `id` now, without moving its regular schedule. The run waits in line when
    /// `max_concurrent` runs are active.
    ///
    /// - Parameter force: start even when `max_instances` runs are active.
    /// - Throws: `SchedulerError.Code.unknownJob`; `.maxInstancesReached` without `force`.
    public mutating func runNow(jobID id: String, force: Bool = false, now: Instant) throws(SchedulerError)
        -> (runID: RunID, actions: [SchedulerAction])
    {
        noteTime(now)
        let slot = try requireSlot(id)
        guard slots[Int(slot)].isLive, case let job = slots[Int(slot)] else {
            throw SchedulerError(code: .unknownJob, jobID: id)
        }
        let limit = job.definition.maxInstances
        if !force, job.running.count >= limit {
            throw SchedulerError(code: .maxInstancesReached, jobID: id, maxInstances: limit)
        }
        let firing = Firing(
            runID: allocateRunID(),
            slot: slot,
            scheduled: now,
            attempt: 1,
            kind: .manual(forced: force),
            startDeadline: nil
        )
        var actions: [SchedulerAction] = []
        pending.push(firing)
        drain(now: now, into: &actions)
        return (firing.runID, actions)
    }

    /// The run `id` has ended with `outcome`: records it, schedules a retry when its policy says
    /// so, and starts what was waiting for the freed instance or slot. Unknown ids are ignored
    /// (the result of a run from before a restart, say).
    public mutating func runFinished(_ id: RunID, outcome: RunOutcome, now: Instant) -> [SchedulerAction] {
        noteTime(now)
        var actions: [SchedulerAction] = []
        guard let run = runs.removeValue(forKey: id) else { return actions }
        let record = Self.record(of: run, outcome: outcome)
        actions.append(.record(record))

        let slot = run.slot
        guard slots[Int(slot)].isLive, slots[Int(slot)].definition.id == run.jobID else {
            // The job was removed while this run was in flight: nothing more to do for it.
            drain(now: now, into: &actions)
            return actions
        }
        slots[Int(slot)].running.removeAll { $0 == id }
        if run.stopReason != nil { slots[Int(slot)].stopping -= 1 }
        slots[Int(slot)].setLast(record)
        markChanged(slot)
        if record.result == .ok {
            slots[Int(slot)].consecutiveFailures = 0
        } else {
            slots[Int(slot)].consecutiveFailures += 1
        }

        // A retry for a failed or timed-out attempt (not for one the core stopped itself).
        if record.result == .failed || record.result == .timeout, run.stopReason == nil,
            let delay = slots[Int(slot)].definition.config.retry.delay(beforeRetry: run.attempt)
        {
            let firing = Firing(
                runID: allocateRunID(),
                slot: slot,
                scheduled: run.scheduled,
                attempt: run.attempt + 1,
                kind: .retry,
                startDeadline: nil
            )
            let due = now + delay
            let handle = wheel.insert(.retry(firing.runID), at: Self.tick(roundingUp: due))
            retries[firing.runID] = PendingRetry(firing: firing, due: due, handle: handle)
        }

        releaseWaiting(slot: slot)
        drain(now: now, into: &actions)
        return actions
    }

    // MARK: - Offering and starting

    /// Hands a due firing on: `on_overlap` at once when its job is at `max_instances`, else the
    /// pending heap (`drain` starts it).
    mutating func offer(_ firing: Firing, now: Instant, into actions: inout [SchedulerAction]) {
        let index = Int(firing.slot)
        guard slots[index].isLive else { return }
        if slots[index].running.count >= slots[index].definition.maxInstances {
            waitForInstance(firing, now: now, into: &actions)
        } else if pending.isEmpty, runs.count < maxConcurrent {
            // Nothing waits ahead of it and a slot is free: the heap would hand it straight back.
            settle(firing, now: now, into: &actions)
        } else {
            pending.push(firing)
        }
    }

    /// A firing whose job is at `max_instances`: scheduled firings follow `on_overlap`; retries and
    /// run-now requests wait for an instance to end.
    private mutating func waitForInstance(_ firing: Firing, now: Instant, into actions: inout [SchedulerAction]) {
        guard slots[Int(firing.slot)].isLive, case let job = slots[Int(firing.slot)] else { return }
        let config = job.definition.config
        guard firing.isScheduled else {
            slots[Int(firing.slot)].waiting.append(firing)
            return
        }
        switch config.onOverlap {
        case .skip:
            let reason =
                "\(job.running.count) run(s) still active (max_instances = \(config.maxInstances), on_overlap = skip)"
            record(skipped: firing, jobID: job.id, reason: reason, into: &actions)
        case .queue:
            guard queuedFirings[firing.slot] == nil else {
                record(
                    skipped: firing,
                    jobID: job.id,
                    reason: "a firing is already queued (on_overlap = queue)",
                    into: &actions
                )
                return
            }
            queuedFirings[firing.slot] = firing
        case .replace:
            if let older = queuedFirings[firing.slot] {
                record(
                    skipped: older,
                    jobID: job.id,
                    reason: "superseded by a newer firing (on_overlap = replace)",
                    into: &actions
                )
            }
            queuedFirings[firing.slot] = firing
            // Stop the oldest runs not already stopping, so that one instance frees up.
            let reason = "replaced by the firing scheduled at \(RFC3339.format(firing.scheduled))"
            var excess = job.running.count - Int(job.stopping) - config.maxInstances + 1
            for id in job.running where excess > 0 && runs[id]?.stopReason == nil {
                runs[id]?.stopReason = reason
                slots[Int(firing.slot)].stopping += 1
                actions.append(.stop(run: id, reason: reason))
                excess -= 1
            }
        }
    }

    /// Moves the job's waiting retries and run-now requests, then its queued firing, to the
    /// pending heap, as many as it has free instances.
    mutating func releaseWaiting(slot: Int32) {
        let index = Int(slot)
        guard slots[index].isLive else { return }
        var free = slots[index].definition.maxInstances - slots[index].running.count
        guard free > 0, !slots[index].waiting.isEmpty || !queuedFirings.isEmpty && queuedFirings[slot] != nil else {
            return
        }
        while free > 0, let firing = slots[Int(slot)].waiting.first {
            slots[Int(slot)].waiting.removeFirst()
            pending.push(firing)
            free -= 1
        }
        if free > 0, let queued = queuedFirings.removeValue(forKey: slot) {
            pending.push(queued)
        }
    }

    /// Starts pending firings in scheduled order while fewer than `max_concurrent` runs are active,
    /// checking each one's start deadline and job state at that moment.
    mutating func drain(now: Instant, into actions: inout [SchedulerAction]) {
        while runs.count < maxConcurrent, let firing = pending.pop() {
            settle(firing, now: now, into: &actions)
        }
    }

    /// Starts `firing` now (a slot under `max_concurrent` is free), or records it missed or
    /// skipped, or parks it for a free instance, as its job's state decides.
    private mutating func settle(_ firing: Firing, now: Instant, into actions: inout [SchedulerAction]) {
        let index = Int(firing.slot)
        guard slots[index].isLive else { return }
        let definition = slots[index].definition
        if firing.isScheduled, slots[index].paused || !definition.isEnabled {
            let reason = definition.isEnabled ? "job paused" : "job disabled"
            record(skipped: firing, jobID: definition.id, reason: reason, into: &actions)
            return
        }
        if let deadline = firing.startDeadline, now > deadline {
            let reason = Self.missedReason(
                count: 1,
                exact: true,
                first: firing.scheduled,
                last: firing.scheduled,
                grace: definition.misfireGrace
            )
            let record = RunRecord(
                runID: firing.runID,
                job: definition.id,
                scheduled: firing.scheduled,
                attempt: firing.attempt,
                result: .missed,
                reason: reason + " (waited for a free slot, max_concurrent = \(maxConcurrent))"
            )
            slots[Int(firing.slot)].setLast(record)
            markChanged(firing.slot)
            actions.append(.record(record))
            return
        }
        var forced = false
        if case .manual(let force) = firing.kind { forced = force }
        if !forced, slots[index].running.count >= definition.maxInstances {
            waitForInstance(firing, now: now, into: &actions)
            return
        }
        startRun(firing, definition: definition, now: now, into: &actions)
    }

    private mutating func startRun(
        _ firing: Firing,
        definition: JobDefinition,
        now: Instant,
        into actions: inout [SchedulerAction]
    ) {
        var isManual = false
        if case .manual = firing.kind { isManual = true }
        runs[firing.runID] = ActiveRun(
            runID: firing.runID,
            slot: firing.slot,
            scheduled: firing.scheduled,
            attempt: firing.attempt,
            definition: definition,
            started: now
        )
        slots[Int(firing.slot)].running.append(firing.runID)
        actions.append(
            .start(
                RunRequest(
                    runID: firing.runID,
                    scheduled: firing.scheduled,
                    attempt: firing.attempt,
                    isManual: isManual,
                    definition: definition
                )
            )
        )
    }

    private mutating func record(
        skipped firing: Firing,
        jobID: String,
        reason: String,
        into actions: inout [SchedulerAction]
    ) {
        let record = skippedRecord(firing, jobID: jobID, reason: reason)
        slots[Int(firing.slot)].setLast(record)
        markChanged(firing.slot)
        actions.append(.record(record))
    }

    /// The run object for a run that ended with `outcome`.
    static func record(of run: ActiveRun, outcome: RunOutcome) -> RunRecord {
        var record = RunRecord(
            runID: run.runID,
            job: run.jobID,
            scheduled: run.scheduled,
            attempt: run.attempt,
            result: .ok,
            started: outcome.started,
            finished: outcome.finished
        )
        switch outcome.termination {
        case .exited(let code):
            record.exitCode = code
            record.result = code == 0 ? .ok : .failed
            if code != 0 { record.reason = outcome.reason }
        case .signaled(let signal):
            record.signal = signal
            record.result = .killed
            record.reason = run.stopReason
        case .timedOut(let signal):
            record.signal = signal
            record.result = .timeout
        case .failedToStart(let reason):
            record.result = .failed
            record.reason = reason
        }
        if let reason = run.stopReason, record.result != .ok {
            // The core asked for the stop: whatever the process did on the way out, it was killed.
            record.result = .killed
            record.reason = reason
        }
        record.outputTail = outcome.outputTail
        record.httpStatus = outcome.httpStatus
        record.latency = outcome.latency
        return record
    }
}
