public import SchedTime

// MARK: - Design note
//
// The scheduling brain: a `struct` state machine with no clock reads and no I/O. The runtime
// shell owns one instance, feeds it the wall-clock time and events (timer expired, run ended,
// control requests, clock stepped, config reloaded) and performs the `SchedulerAction`s each
// `mutating` method returns, in order: start a run, stop a run, record a run/skipped/missed firing.
// Because time is a parameter, tests drive years of virtual time through it in milliseconds.
//
// Time and the wheel. Every armed job has exactly one entry in a `TimingWheel` (millisecond ticks,
// deadlines rounded *up*, so nothing is ever early): its next nominal fire time plus its jitter
// delay. Pending retries have their own entries. The shell sleeps until `nextDeadline` and then
// calls `advance(to:)`, which expires the wheel up to `now` (rounded *down*). Cost per firing:
// O(1) wheel work plus one `nextFire` call (a cron `next` or an interval multiplication).
//
// Firing pipeline. An expired job entry yields its due firings (normally one); each becomes a
// `Firing` with a fresh `RunID` and a start deadline (scheduled + jitter + `misfire_grace`), and is
// offered: (1) a job already at `max_instances` applies `on_overlap` at once (skip → `skipped`
// record; queue → the job's single queue slot, a second one is skipped; replace → stop the oldest
// active run and queue the firing); (2) otherwise it joins the pending heap, ordered by scheduled
// time; (3) `drain` starts pending firings while fewer than `max_concurrent` runs are active,
// re-checking the start deadline (`missed`) and `max_instances` for each at that moment. So over
// the concurrency cap due runs wait in scheduled order and can still turn `missed`.
//
// Retries. A run that ends `failed` or `timeout` is retried after
// `backoff × factor^(n-1)` (capped at `max_delay`) for n = 1 … `attempts`, each attempt a new run
// id with the same scheduled instant. A due retry never breaks `max_instances`: when the job is at
// its limit the retry waits (in the job's `waiting` list, served before a queued firing) for an
// instance to end. Retries are not subject to `misfire_grace` and ignore `on_overlap`. A run the
// core stopped (replace) ends `killed` and is not retried.
//
// Overdue firings (late wake-up, clock jumped forward). When a job's entry expires at `now`, all
// its firings f ≤ now are handled in one pass and the job's `lastScheduled` moves to the last of
// them. Firings with f + grace < now are *missed* and summarised in ONE `missed` record (first
// scheduled instant, `firings` = count, reason naming the range); counting stops after
// `overdueScanLimit` and the scan jumps straight to `now − grace`, so a one-second job across a
// one-day jump costs one record and a bounded scan. The remaining firings (still within grace)
// run: with `coalesce = true` only the latest runs and the earlier ones are summarised in one
// `skipped` record; with `coalesce = false` each is offered (at most `backlogLimit`; older ones
// join the missed summary). The scan is O(grace / interval) at worst.
//
// Time going backwards. `lastScheduled` per job is the high-water mark of handled firings; the
// next firing is always computed strictly after it, so stepping the clock back never fires a
// firing twice: the job waits until the wall clock passes its next unhandled firing (an `every`
// job is therefore quiet for the size of the step). The wheel is rebuilt at the new time; retry
// deadlines keep their remaining delay (they are shifted by the step).
//
// `every` phase. An `every` trigger without `start` is anchored at the instant the core first
// added the job (`JobState.firstAdded`), kept across `apply`/`replace`, so reloads do not shift it.
//
// Registry. Jobs live in `slots` (stable indices the wheel payload refers to; freed slots are
// reused) with an id → slot dictionary. `apply(config:now:)` diffs a whole config: added, replaced
// (definition changed, ignoring where it is written: state kept, next fire recomputed), unchanged,
// removed (timer, queued firing and retries dropped; runs in flight finish and are recorded).
//
// Hot path. A firing costs one wheel expiry, one `FireRule.nextFire` (a cron `next` or an interval
// multiplication), one `RunID`, a start action and, later, a finish. Job state is stored
// non-optionally (tombstones mark removed slots) and read field by field, and a definition's
// settings are cached on its `JobDefinition`, because copying a ~300-byte `JobState` or a whole
// `JobConfig` per firing dominated the cost (see docs/BENCHMARKS.md, "Scheduler core").
//
// Units: `Instant` (UTC nanoseconds) everywhere; wheel ticks are milliseconds since the epoch.
// Deadlines round up to the next tick and `now` rounds down, so nothing fires early.

/// The pure scheduler state machine; see the design note at the top of this file.
public struct SchedulerCore: Sendable {
    /// What the wheel holds: a job's next firing (by slot) or a pending retry (by its run id).
    enum TimerEvent: Sendable {
        case job(Int32)
        case retry(RunID)
    }

    /// A retry waiting for its time.
    struct PendingRetry: Sendable {
        var firing: Firing
        var due: Instant
        var handle: TimerHandle
    }

    /// Missed firings counted one by one before the scan jumps ahead (see "Overdue firings"); a
    /// summary record that reached it says "at least" this many.
    public static let overdueScanLimit = 1_000
    /// Overdue firings within grace offered separately when `coalesce = false`; older ones join the
    /// missed summary.
    public static let backlogLimit = 100

    // MARK: - State

    /// Indexed by slot; a removed job leaves a tombstone (`isLive == false`) until the slot is
    /// reused. Not optional: mutating a field of an optional array element copies the whole
    /// element out and back, which dominated the cost of a firing.
    var slots: [JobState] = []
    var freeSlots: [Int32] = []
    var slotByID: [String: Int32] = [:]
    var wheel: TimingWheel<TimerEvent>
    var runs = RunTable<ActiveRun>()
    /// The one regular firing per job waiting for a free instance (`queue`, `replace`), by slot.
    var queuedFirings: [Int32: Firing] = [:]
    var pending = PendingQueue()
    var retries: [RunID: PendingRetry] = [:]
    var maxConcurrent: Int
    var random: JitterRandom
    var nextRunNumber: UInt64
    /// The latest time the core was told; used to measure clock steps.
    var now: Instant
    var hasStarted = false
    /// Slots whose persisted facts changed since `takePersistedChanges()` (each listed once).
    var changedSlots: [Int32] = []

    // MARK: - Creation

    /// A core holding `config`'s jobs, each armed for its first firing after `now`.
    ///
    /// - Parameters:
    ///   - random: the jitter source; seed it for reproducible runs.
    ///   - firstRunNumber: the first `RunID` to hand out; the daemon passes a number past every id
    ///     it has persisted.
    public init(config: ScheduleConfig, now: Instant, random: JitterRandom, firstRunNumber: UInt64 = 1) {
        wheel = TimingWheel(now: Self.tick(roundingDown: now))
        maxConcurrent = max(1, config.settings.maxConcurrent)
        self.random = random
        self.now = now
        nextRunNumber = firstRunNumber
        slots.reserveCapacity(config.jobs.count)
        slotByID.reserveCapacity(config.jobs.count)
        for job in config.jobs {
            if let slot = slotByID[job.id] {
                replaceDefinition(slot: slot, with: job, now: now)
            } else {
                insertJob(job, now: now)
            }
        }
    }

    // MARK: - Queries

    /// When the shell should next call `advance(to:)`: the earliest wheel deadline (already
    /// rounded up to a whole millisecond), or nil when nothing is armed.
    public var nextDeadline: Instant? {
        mutating get { wheel.nextDeadline().map(Self.instant(ofTick:)) }
    }

    /// Every job, sorted by id.
    public var jobStatuses: [JobStatus] {
        slots.indices.filter { slots[$0].isLive }.map { status(of: slots[$0], slot: Int32($0)) }.sorted {
            $0.id < $1.id
        }
    }

    /// The job with `id`, or nil.
    public func jobStatus(_ id: String) -> JobStatus? {
        slotByID[id].map { status(of: slots[Int($0)], slot: $0) }
    }

    /// Active runs, oldest run id first.
    public var runningRuns: [RunRequest] {
        runs.allValues.sorted { $0.runID < $1.runID }.map { run in
            RunRequest(
                runID: run.runID,
                scheduled: run.scheduled,
                attempt: run.attempt,
                isManual: false,
                definition: run.definition
            )
        }
    }

    /// Firings waiting for a slot under `max_concurrent`.
    public var pendingCount: Int { pending.count }

    /// Retries waiting for their time.
    public var pendingRetryCount: Int { retries.count }

    /// Number of jobs.
    public var jobCount: Int { slotByID.count }

    private func status(of job: JobState, slot: Int32) -> JobStatus {
        let config = job.definition.config
        let state: JobStatus.State
        if !config.enabled {
            state = .disabled
        } else if job.paused {
            state = .paused
        } else if !job.running.isEmpty {
            state = .running
        } else {
            state = .scheduled
        }
        return JobStatus(
            id: config.id,
            trigger: config.triggerText,
            state: state,
            next: job.nextFire,
            lastFire: job.lastScheduled,
            last: job.last.first,
            running: job.running,
            queued: queuedFirings[slot]?.scheduled,
            consecutiveFailures: Int(job.consecutiveFailures),
            lastHTTPStatus: job.lastHTTPStatus == 0 ? nil : Int(job.lastHTTPStatus)
        )
    }

    // MARK: - Ticks

    /// The wheel tick of `instant`, rounded up: a deadline never fires early.
    static func tick(roundingUp instant: Instant) -> UInt64 {
        let nanoseconds = instant.nanosecondsSinceEpoch
        guard nanoseconds > 0 else { return 0 }
        let whole = nanoseconds / 1_000_000
        return UInt64(nanoseconds % 1_000_000 == 0 ? whole : whole + 1)
    }

    /// The wheel tick of `instant`, rounded down: everything due at or before it expires.
    static func tick(roundingDown instant: Instant) -> UInt64 {
        let nanoseconds = instant.nanosecondsSinceEpoch
        return nanoseconds > 0 ? UInt64(nanoseconds / 1_000_000) : 0
    }

    static func instant(ofTick tick: UInt64) -> Instant {
        let (nanoseconds, overflow) = Int64(clamping: tick).multipliedReportingOverflow(by: 1_000_000)
        return Instant(nanosecondsSinceEpoch: overflow ? .max : nanoseconds)
    }

    mutating func allocateRunID() -> RunID {
        defer { nextRunNumber &+= 1 }
        return RunID(rawValue: nextRunNumber)
    }
}
