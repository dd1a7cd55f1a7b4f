public import SchedTime

// MARK: - Design note
//
// The numbers behind `schedctl metrics`, `metrics_file` and `metrics_listen`: a value the runtime shell
// owns beside its `SchedulerCore`, pure like the core (it never reads the clock; the shell passes `now`).
//
// Two kinds of input:
// - Events, as they happen, each O(1) per job (a dictionary lookup): the core's actions
//   (`observe(_:at:)`: `.start` → last start and firing lateness, `.record` → runs by result, duration,
//   last end, last success) and reloads. Counters and histograms only ever come from events.
// - Snapshots, right before rendering: `update(statuses:)` copies the gauges (running instances,
//   consecutive failures, next fire, state) from `SchedulerCore.jobStatuses`, prunes jobs that are gone
//   and adopts the last run of a job it knows nothing about (after a restart, from the state store).
//   Gauges are never kept up to date per event: that would cost a status per firing for nothing.
//
// Rendering (`MetricsRegistry+Exposition.swift`) writes the Prometheus text format, families in a fixed
// order, jobs sorted by id, every `result` and `state` label present (zero when nothing happened) so
// `rate()` and absence alerts work from the first scrape. Times are Unix-epoch seconds; 0 means "never"
// (a job that has never succeeded has `schedd_job_last_success_timestamp_seconds 0`, so
// `time() - … > 26 * 3600` fires for it, as an operator expects).

/// Metrics for every job and for the daemon; see the design note above.
public struct MetricsRegistry: Sendable {
    /// How a reload ended, the `result` label of `schedd_reloads_total`.
    public enum ReloadResult: String, Sendable, CaseIterable {
        case ok
        case failed
    }

    /// The `version` label of `schedd_build_info`.
    public var version: String
    /// Per job, by id.
    public private(set) var jobs: [String: JobMetrics] = [:]
    public private(set) var reloads: [ReloadResult: UInt64] = [:]
    public private(set) var lastReloadSuccessful = true
    /// The last successful (re)load of the configuration, the daemon's start included.
    public private(set) var lastReloadSuccess: Instant?

    public init(version: String) {
        self.version = version
    }

    // MARK: - Events

    /// Feeds the actions the core returned at `now`, before or after the shell performs them.
    public mutating func observe(_ actions: [SchedulerAction], at now: Instant) {
        for action in actions {
            switch action {
            case .start(let request): runStarted(request, at: now)
            case .record(let record): recorded(record)
            case .stop: break
            }
        }
    }

    /// A run of `request` started at `now`: its start time, and for the first attempt of a scheduled
    /// firing its lateness (`now - scheduled`, jitter included: it is a delay like any other).
    public mutating func runStarted(_ request: RunRequest, at now: Instant) {
        jobs[request.jobID, default: JobMetrics()].runStarted(request, at: now)
    }

    /// A run ended, or a firing was skipped or missed.
    public mutating func recorded(_ record: RunRecord) {
        jobs[record.job, default: JobMetrics()].recorded(record)
    }

    /// The configuration was (re)loaded successfully at `now`.
    public mutating func reloadSucceeded(at now: Instant) {
        reloads[.ok, default: 0] += 1
        lastReloadSuccessful = true
        lastReloadSuccess = now
    }

    /// A reload failed; the old schedule stays.
    public mutating func reloadFailed() {
        reloads[.failed, default: 0] += 1
        lastReloadSuccessful = false
    }

    /// Records the initial load at start-up: it sets the success timestamp without counting a reload.
    public mutating func configLoaded(at now: Instant) {
        lastReloadSuccessful = true
        lastReloadSuccess = now
    }

    // MARK: - Snapshots

    /// Refreshes the gauges from the core's job list and forgets jobs no longer in it.
    public mutating func update(statuses: [JobStatus]) {
        var kept: [String: JobMetrics] = [:]
        kept.reserveCapacity(statuses.count)
        for status in statuses {
            var job = jobs[status.id] ?? JobMetrics()
            job.running = status.running.count
            job.consecutiveFailures = status.consecutiveFailures
            job.nextFire = status.next
            job.state = status.state
            if let last = status.last { job.adopt(last) }
            kept[status.id] = job
        }
        jobs = kept
    }

    /// Number of jobs in `state` (as of the last `update(statuses:)`).
    public func jobCount(in state: JobStatus.State) -> Int {
        jobs.values.reduce(0) { $0 + ($1.state == state ? 1 : 0) }
    }

    /// Reloads that ended with `result`.
    public func reloadCount(_ result: ReloadResult) -> UInt64 { reloads[result] ?? 0 }
}

// MARK: - Per-job bookkeeping

extension JobMetrics {
    mutating func runStarted(_ request: RunRequest, at now: Instant) {
        lastRunStart = max(lastRunStart ?? now, now)
        if request.attempt == 1, !request.isManual {
            lateness.observe(now - request.scheduled)
        }
    }

    mutating func recorded(_ record: RunRecord) {
        runsByResult[record.result, default: 0] += UInt64(max(record.firings, 1))
        guard let finished = record.finished else { return }
        if let started = record.started {
            duration.observe(finished - started)
            lastRunStart = max(lastRunStart ?? started, started)
        }
        lastRunEnd = max(lastRunEnd ?? finished, finished)
        if record.result == .ok {
            lastSuccess = max(lastSuccess ?? finished, finished)
        }
    }

    /// Takes the timestamps of `last` where nothing newer is known (a job's history from before a
    /// restart), without counting it: counters only count what this daemon saw.
    mutating func adopt(_ last: RunRecord) {
        if let started = last.started, lastRunStart == nil { lastRunStart = started }
        guard let finished = last.finished else { return }
        if lastRunEnd == nil { lastRunEnd = finished }
        if last.result == .ok, lastSuccess == nil { lastSuccess = finished }
    }
}
