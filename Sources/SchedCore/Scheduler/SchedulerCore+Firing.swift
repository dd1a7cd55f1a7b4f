public import SchedTime

// MARK: - Time passing: daemon start, timer expiry, clock steps

extension SchedulerCore {
    /// The daemon has started: every enabled, unpaused `@reboot` job within its `start`/`end`
    /// window fires now. Only the first call fires anything; a reload never does.
    public mutating func start(now: Instant) -> [SchedulerAction] {
        noteTime(now)
        var actions: [SchedulerAction] = []
        guard !hasStarted else { return actions }
        hasStarted = true
        for slot in slots.indices {
            guard slots[slot].isLive, case let job = slots[slot] else { continue }
            let config = job.definition.config
            guard config.trigger.isReboot, config.enabled, !job.paused else { continue }
            if let start = config.start, now < start { continue }
            if let end = config.end, now > end { continue }
            let firing = Firing(
                runID: allocateRunID(),
                slot: Int32(slot),
                scheduled: now,
                attempt: 1,
                kind: .scheduled,
                startDeadline: now + config.misfireGrace
            )
            slots[slot].lastScheduled = now
            markChanged(Int32(slot))
            offer(firing, now: now, into: &actions)
        }
        drain(now: now, into: &actions)
        return actions
    }

    /// The timer armed for `nextDeadline` fired (or the shell woke for any reason): handles every
    /// firing and retry due at or before `now`. A `now` behind the time already handled is treated
    /// as a clock step (`clockStepped(to:)`).
    public mutating func advance(to now: Instant) -> [SchedulerAction] {
        if Self.tick(roundingDown: now) < wheel.elapsed { return clockStepped(to: now) }
        noteTime(now)
        var actions: [SchedulerAction] = []
        expireDue(now: now, into: &actions)
        drain(now: now, into: &actions)
        return actions
    }

    /// The shell noticed the wall clock was set (a `TFD_TIMER_CANCEL_ON_SET` wake-up): rebuilds the
    /// wheel at `now`, then handles what is due. Forward, skipped firings fall under
    /// `misfire_grace`/`coalesce`; backward, no firing already handled fires again (see the design
    /// note). Pending retries keep their remaining delay.
    public mutating func clockStepped(to now: Instant) -> [SchedulerAction] {
        let step = now - self.now
        self.now = now
        var rebuilt = TimingWheel<TimerEvent>(now: Self.tick(roundingDown: now))
        for slot in slots.indices {
            guard slots[slot].isLive, case let job = slots[slot], job.timer != nil, let due = job.nextDue else {
                continue
            }
            slots[slot].timer = rebuilt.insert(.job(Int32(slot)), at: Self.tick(roundingUp: due))
        }
        for (id, retry) in retries {
            let due = retry.due + step
            retries[id]?.due = due
            retries[id]?.handle = rebuilt.insert(.retry(id), at: Self.tick(roundingUp: due))
        }
        wheel = rebuilt
        var actions: [SchedulerAction] = []
        expireDue(now: now, into: &actions)
        drain(now: now, into: &actions)
        return actions
    }

    // MARK: - Expiry

    private mutating func expireDue(now: Instant, into actions: inout [SchedulerAction]) {
        var events: [TimerEvent] = []
        wheel.expire(upTo: Self.tick(roundingDown: now)) { _, event, _ in events.append(event) }
        for event in events {
            switch event {
            case .job(let slot):
                fireJob(slot: slot, now: now, into: &actions)
            case .retry(let id):
                guard let retry = retries.removeValue(forKey: id) else { continue }
                offer(retry.firing, now: now, into: &actions)
            }
        }
    }

    /// Handles every firing of the job at or before `now` (see "Overdue firings" in the design
    /// note) and arms the next one.
    private mutating func fireJob(slot: Int32, now: Instant, into actions: inout [SchedulerAction]) {
        // Field by field, not a copy of the whole `JobState`: this is the hot path of every firing.
        let index = Int(slot)
        guard slots[index].isLive, let first = slots[index].nextFire, let firstDue = slots[index].nextDue else {
            return
        }
        slots[index].timer = nil
        slots[index].nextFire = nil
        slots[index].nextDue = nil
        let definition = slots[index].definition
        let anchor = slots[index].firstAdded
        let grace = definition.misfireGrace
        let previous = slots[index].lastScheduled

        // Fast path: one firing, on time, and the next one is in the future.
        if previous.map({ first > $0 }) ?? true, firstDue + grace >= now {
            let next = definition.rule.nextFire(after: first, everyAnchor: anchor)
            if next.map({ $0 > now }) ?? true {
                slots[index].lastScheduled = first
                markChanged(slot)
                if let next { arm(slot: slot, fire: next) }
                let firing = Firing(
                    runID: allocateRunID(),
                    slot: slot,
                    scheduled: first,
                    attempt: 1,
                    kind: .scheduled,
                    startDeadline: firstDue + grace
                )
                offer(firing, now: now, into: &actions)
                return
            }
        }

        let config = definition.config
        var cursor: Instant? = first
        if let last = previous, first <= last {
            // Defensive: never handle a firing twice.
            cursor = definition.rule.nextFire(after: last, everyAnchor: anchor)
        }
        var lastHandled = previous

        // 1. Missed: could not start by scheduled (+ jitter for the first) + grace. Counted one by
        //    one up to the scan limit, then the scan jumps to the first firing still within grace.
        var missedCount = 0
        var missedFirst: Instant?
        var missedLast: Instant?
        var missedCountIsExact = true
        var deadline = firstDue + grace
        while let fire = cursor, fire <= now, deadline < now {
            missedCount += 1
            if missedFirst == nil { missedFirst = fire }
            missedLast = fire
            lastHandled = fire
            if missedCount >= Self.overdueScanLimit {
                missedCountIsExact = false
                let jumpFrom = max(fire, now - grace - .nanoseconds(1))
                cursor = definition.rule.nextFire(after: jumpFrom, everyAnchor: anchor)
            } else {
                cursor = definition.rule.nextFire(after: fire, everyAnchor: anchor)
            }
            deadline = (cursor ?? now) + grace
        }

        // 2. Still within grace: these run (the latest only, when coalescing).
        var runnable: [(fire: Instant, deadline: Instant)] = []
        var coalescedCount = 0
        var coalescedFirst: Instant?
        while let fire = cursor, fire <= now {
            lastHandled = fire
            if config.coalesce, let previous = runnable.popLast() {
                coalescedCount += 1
                if coalescedFirst == nil { coalescedFirst = previous.fire }
            }
            runnable.append((fire, deadline))
            if runnable.count > Self.backlogLimit {
                let oldest = runnable.removeFirst()
                missedCount += 1
                if missedFirst == nil { missedFirst = oldest.fire }
                missedLast = oldest.fire
            }
            cursor = definition.rule.nextFire(after: fire, everyAnchor: anchor)
            deadline = (cursor ?? now) + grace
        }

        slots[Int(slot)].lastScheduled = lastHandled
        markChanged(slot)
        if let next = cursor { arm(slot: slot, fire: next) }

        if let missedFirst, let missedLast {
            let record = RunRecord(
                runID: allocateRunID(),
                job: config.id,
                scheduled: missedFirst,
                attempt: 1,
                result: .missed,
                reason: Self.missedReason(
                    count: missedCount,
                    exact: missedCountIsExact,
                    first: missedFirst,
                    last: missedLast,
                    grace: grace
                ),
                firings: missedCount
            )
            slots[Int(slot)].setLast(record)
            markChanged(slot)
            actions.append(.record(record))
        }
        for (index, entry) in runnable.enumerated() {
            let firing = Firing(
                runID: allocateRunID(),
                slot: slot,
                scheduled: entry.fire,
                attempt: 1,
                kind: .scheduled,
                startDeadline: entry.deadline
            )
            if index == 0, let coalescedFirst {
                let record = RunRecord(
                    runID: allocateRunID(),
                    job: config.id,
                    scheduled: coalescedFirst,
                    attempt: 1,
                    result: .skipped,
                    reason: "\(coalescedCount) overdue firing(s) coalesced into the run scheduled at "
                        + RFC3339.format(entry.fire),
                    firings: coalescedCount
                )
                actions.append(.record(record))
            }
            offer(firing, now: now, into: &actions)
        }
    }

    static func missedReason(count: Int, exact: Bool, first: Instant, last: Instant, grace: Duration) -> String {
        let graceText = "misfire_grace \(DurationText.format(grace))"
        if count == 1 { return "not started within \(graceText) of its scheduled time" }
        guard exact else {
            return "at least \(count) firings from \(RFC3339.format(first)) on not started within \(graceText)"
        }
        return "\(count) firings from \(RFC3339.format(first)) to \(RFC3339.format(last)) "
            + "not started within \(graceText)"
    }
}
