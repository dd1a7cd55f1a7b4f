import SchedTime

/// Everything the core keeps about one job.
struct JobState: Sendable {
    var definition: JobDefinition
    /// False for the tombstone a removed job leaves in its slot.
    var isLive = true
    var id: String { definition.id }
    /// When the job was first added; the phase of an `every` trigger without `start`. Kept across
    /// replacements so a reload does not shift it.
    var firstAdded: Instant
    var paused = false
    /// The next nominal firing, and when it is due (nominal + jitter), while armed in the wheel.
    var nextFire: Instant?
    var nextDue: Instant?
    var timer: TimerHandle?
    /// The last nominal firing handled; no firing at or before it is ever handled again, even when
    /// the wall clock steps back.
    var lastScheduled: Instant?
    /// Active runs of this job, oldest first.
    var running: [RunID] = []
    /// Runs the core asked the shell to stop that have not ended yet.
    var stopping: Int32 = 0
    /// Retries and run-now requests waiting for a free instance, oldest first.
    var waiting: [Firing] = []
    var consecutiveFailures: Int32 = 0
    /// Set when a persisted fact (see `PersistedJobState`) changed since the shell last took the
    /// changes; the slot is then listed once in `SchedulerCore.changedSlots`.
    var hasPersistedChanges = false
    /// The last finished, skipped or missed run: zero or one element. An array rather than an
    /// optional so an idle job pays 8 bytes instead of a whole `RunRecord`, and replacing it reuses
    /// the buffer in place instead of allocating.
    private(set) var last: [RunRecord] = []

    /// The HTTP status of the last run that ran (0: none), which a skipped or missed firing must not
    /// clear from `schedctl list`.
    private(set) var lastHTTPStatus: UInt16 = 0

    mutating func setLast(_ record: RunRecord) {
        if last.isEmpty { last.append(record) } else { last[0] = record }
        switch record.result {
        case .skipped, .missed: break
        default: lastHTTPStatus = record.httpStatus.map { UInt16(clamping: $0) } ?? 0
        }
    }

    init(definition: JobDefinition, firstAdded: Instant) {
        self.definition = definition
        self.firstAdded = firstAdded
    }
}
