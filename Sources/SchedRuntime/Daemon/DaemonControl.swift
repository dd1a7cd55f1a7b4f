public import SchedCore
import SchedTime

/// Answers control-socket requests from the daemon's state: the `ControlHandler` the daemon gives
/// its `ControlServer`. Also a `DaemonObserver`, to answer `run-now --wait` when the run's record
/// arrives.
///
/// Lives on the event-loop thread like the daemon; holds it unowned (the daemon owns this object).
public final class DaemonControl: ControlHandler, DaemonObserver {
    unowned let daemon: Daemon
    /// `run-now --wait` requests waiting for their run's record, by run id.
    private var waiters: [RunID: (ControlResponse) -> Void] = [:]

    init(daemon: Daemon) {
        self.daemon = daemon
    }

    /// Requests waiting for a run to finish.
    public var waitingCount: Int { waiters.count }

    // MARK: - ControlHandler

    public func handle(
        _ request: ControlRequest,
        from peer: PeerCredentials,
        reply: @escaping (ControlResponse) -> Void
    ) {
        switch request {
        case .list:
            reply(.jobs(daemon.core.jobStatuses.map { JobInfo($0) }))
        case .status:
            reply(.status(statusInfo()))
        case .history(let job, let limit):
            guard daemon.core.jobStatus(job) != nil || !daemon.history.records(job: job, limit: 1).isEmpty else {
                reply(.failure(unknownJob(job)))
                return
            }
            let records = daemon.history.records(job: job, limit: limit)
            reply(.runs(records.reversed().map { RunInfo($0) }))
        case .runNow(let job, let wait, let force):
            runNow(job: job, wait: wait, force: force, reply: reply)
        case .pause(let job):
            changeJob(job, reply: reply) { (daemon) throws(SchedulerError) in try daemon.pause(jobID: job) }
        case .resume(let job):
            changeJob(job, reply: reply) { (daemon) throws(SchedulerError) in try daemon.resume(jobID: job) }
        case .reload:
            switch daemon.reload() {
            case .applied(let diff):
                let summary = ReloadSummary(
                    jobs: daemon.core.jobCount,
                    added: diff.added,
                    removed: diff.removed,
                    changed: diff.replaced
                )
                reply(.reloaded(summary))
            case .failed(let errors):
                let count = errors.count
                let message =
                    "reload failed: \(count) \(count == 1 ? "error" : "errors") in the config; the old schedule keeps running"
                reply(.failure(ControlError(code: .reloadFailed, message: message, details: errors.map(\.headline))))
            }
        case .metrics:
            reply(.metrics(daemon.metrics.render(for: daemon)))
        }
    }

    // MARK: - DaemonObserver

    public func daemon(_ daemon: Daemon, didRecord record: RunRecord) {
        guard let reply = waiters.removeValue(forKey: record.runID) else { return }
        reply(.runFinished(RunInfo(record)))
    }

    public func daemonWillStop(_ daemon: Daemon) {
        // Runs in flight still finish and answer their waiters during the grace period; nothing new
        // is accepted (see `runNow`).
    }

    // MARK: - Requests

    func statusInfo() -> StatusInfo {
        let now = WallClock.now()
        let next = daemon.nextFiring()
        return StatusInfo(
            version: BuildInfo.version,
            processID: ProcessEnvironment.processID.rawValue,
            uptimeSeconds: max(0, (now - daemon.startedAt).totalNanoseconds / 1_000_000_000),
            configPath: daemon.configPath,
            jobs: daemon.core.jobCount,
            running: daemon.activeRuns.count,
            next: next?.at,
            nextJob: next?.job
        )
    }

    func runNow(job: String, wait: Bool, force: Bool, reply: @escaping (ControlResponse) -> Void) {
        guard daemon.phase == .running else {
            reply(.failure(ControlError(code: .shuttingDown, message: "schedd is shutting down; no new runs start")))
            return
        }
        do {
            // Register the waiter before the run can end: a run that fails to start is recorded at once.
            let id = try daemon.runNow(jobID: job, force: force) { id in
                if wait { self.waiters[id] = reply }
            }
            if !wait { reply(.runStarted(job: job, runID: id)) }
        } catch {
            reply(.failure(controlError(error)))
        }
    }

    func changeJob(
        _ job: String,
        reply: (ControlResponse) -> Void,
        _ change: (Daemon) throws(SchedulerError) -> Void
    ) {
        do {
            try change(daemon)
            guard let status = daemon.core.jobStatus(job) else {
                reply(.failure(unknownJob(job)))
                return
            }
            reply(.job(JobInfo(status)))
        } catch {
            reply(.failure(controlError(error)))
        }
    }

    func unknownJob(_ job: String) -> ControlError {
        ControlError.unknownJob(job, knownIDs: daemon.core.jobStatuses.map(\.id))
    }

    func controlError(_ error: SchedulerError) -> ControlError {
        switch error.code {
        case .unknownJob: unknownJob(error.jobID)
        case .maxInstancesReached: ControlError(code: .maxInstancesReached, message: error.description)
        case .jobExists: ControlError(code: .failed, message: error.description)
        }
    }
}
