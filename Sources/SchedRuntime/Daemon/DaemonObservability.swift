import SchedCore
import SchedTime

// DaemonObservability: metrics, metrics_file, metrics_listen and on_failure hooks for a `Daemon`.
//
// Design note
// - A `DaemonObserver`: it learns of every run start, record and reload through the daemon's observer
//   seam and needs no hook inside the daemon's loop. Each event feeds the pure `MetricsRegistry`
//   (O(1)) and marks the metrics file dirty; the file is rewritten at most once a second
//   (`MetricsFilePublisher`), and a scrape (HTTP or `schedctl metrics`) refreshes the gauges from
//   `core.jobStatuses` and renders.
// - Hooks: a record that ends its firing in failure for good starts the job's `on_failure` with the
//   environment, user and directory its runs get (`JobEnvironment`, `resolveIdentity`). Not while the
//   daemon is stopping: runs killed by shutdown are not failures worth paging for.
// - Reload: the registry counts it; a changed `metrics_listen` binds the new address before closing the
//   old one (a failed bind keeps the old listener and is logged), a changed `metrics_file` switches
//   the publisher.

/// The daemon's observability subsystem; see the design note above. Loop thread only.
final class DaemonObservability: DaemonObserver {
    private(set) var registry: MetricsRegistry
    private(set) var listener: MetricsListener?
    private(set) var publisher: MetricsFilePublisher?
    /// The address `listener` is bound to.
    private var listenAddress: ListenAddress?
    let hooks: FailureHookRunner
    private unowned let daemon: Daemon

    /// Sets everything up for `daemon`'s current config: binds `metrics_listen`, writes `metrics_file`.
    ///
    /// - Throws: `MetricsListenError` when `metrics_listen` cannot be bound.
    init(daemon: Daemon) throws(MetricsListenError) {
        self.daemon = daemon
        registry = MetricsRegistry(version: BuildInfo.version)
        registry.configLoaded(at: daemon.startedAt)
        hooks = FailureHookRunner(runner: daemon.runner, logger: daemon.logger)
        if let address = daemon.config.settings.metricsListen {
            listener = try makeListener(address)
            listenAddress = address
        }
        publisher = daemon.config.settings.metricsFile.map(makePublisher)
        publisher?.writeNow()
    }

    /// The exposition as of now: gauges refreshed from the core, then rendered.
    func exposition() -> String {
        registry.update(statuses: daemon.core.jobStatuses)
        return registry.render()
    }

    // MARK: - DaemonObserver

    func daemon(_ daemon: Daemon, didStart run: RunRequest, at started: Instant) {
        registry.runStarted(run, at: started)
        publisher?.markChanged()
    }

    func daemon(_ daemon: Daemon, didRecord record: RunRecord) {
        registry.recorded(record)
        if daemon.phase == .stopping {
            // The loop may end before a rate-limited write comes due: keep the file final.
            publisher?.writeNow()
        } else {
            publisher?.markChanged()
        }
        runHookIfNeeded(record)
    }

    func daemon(_ daemon: Daemon, didReload outcome: ReloadOutcome) {
        switch outcome {
        case .applied:
            registry.reloadSucceeded(at: WallClock.now())
            hooks.logger = daemon.logger
            reconfigure(daemon.config.settings)
        case .failed:
            registry.reloadFailed()
        }
        publisher?.markChanged()
    }

    func daemonWillStop(_ daemon: Daemon) {
        publisher?.writeNow()
    }

    // MARK: - Hooks

    private func runHookIfNeeded(_ record: RunRecord) {
        guard let job = daemon.config.job(record.job), job.onFailure != nil,
            record.endsFiringInFailure(retry: job.retry)
        else { return }
        guard daemon.phase != .stopping else {
            daemon.logger.info(
                "hook_skipped",
                ["job": .string(record.job), "run": .string(record.runID.description), "reason": "shutting down"]
            )
            return
        }
        let account: UserAccount?
        let identity: ProcessIdentity?
        switch daemon.resolveIdentity(user: job.user, group: job.group) {
        case .success(let resolved): (account, identity) = resolved
        case .failure(let problem):
            daemon.logger.error(
                "hook_failed",
                [
                    "job": .string(record.job), "run": .string(record.runID.description),
                    "reason": .string(problem.reason),
                ]
            )
            return
        }
        let environment = JobEnvironment.build(
            jobID: record.job,
            runID: record.runID,
            scheduled: record.scheduled,
            attempt: record.attempt,
            variables: job.environment,
            account: account
        )
        hooks.runIfNeeded(
            for: record,
            job: job,
            environment: environment,
            identity: identity,
            workingDirectory: job.workingDirectory ?? account.map(\.homeDirectory).flatMap { $0.isEmpty ? nil : $0 }
        )
    }

    // MARK: - Configuration

    private func makeListener(_ address: ListenAddress) throws(MetricsListenError) -> MetricsListener {
        do {
            let listener = try MetricsListener(loop: daemon.loop, address: address, logger: daemon.logger) {
                [unowned self] in exposition()
            }
            daemon.logger.notice("metrics_listening", ["address": .string(address.description)])
            return listener
        } catch {
            throw MetricsListenError(address: address, underlying: error)
        }
    }

    private func makePublisher(_ path: String) -> MetricsFilePublisher {
        MetricsFilePublisher(loop: daemon.loop, writer: MetricsFileWriter(path: path), logger: daemon.logger) {
            [unowned self] in exposition()
        }
    }

    private func reconfigure(_ settings: SchedulerSettings) {
        if settings.metricsListen != listenAddress {
            rebind(to: settings.metricsListen)
        }
        if settings.metricsFile != publisher?.writer.path {
            publisher = settings.metricsFile.map(makePublisher)
            publisher?.writeNow()
        }
    }

    /// Moves the listener to `address` (nil: stop listening). A different port is bound before the old
    /// listener closes, so a failure leaves the old one serving; the same port must be released first,
    /// and the old address is bound again if the new one fails.
    private func rebind(to address: ListenAddress?) {
        let oldAddress = listenAddress
        guard let address else {
            listener?.close()
            (listener, listenAddress) = (nil, nil)
            return
        }
        let samePort = oldAddress?.port == address.port
        if samePort {
            listener?.close()
            (listener, listenAddress) = (nil, nil)
        }
        do {
            let replacement = try makeListener(address)
            listener?.close()
            (listener, listenAddress) = (replacement, address)
        } catch {
            daemon.logger.error("metrics_listen_failed", ["error": .string(error.description)])
            if samePort, let oldAddress, let restored = try? makeListener(oldAddress) {
                (listener, listenAddress) = (restored, oldAddress)
            }
        }
    }
}
