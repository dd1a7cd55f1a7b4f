import SchedCore
import SchedTime

// DaemonObservability: `metrics_file` and `metrics_listen` for a `Daemon`.
//
// Design note
// - The numbers come from the daemon's one registry, `Daemon.metrics` (`DaemonMetrics`, fed by the
//   daemon's observer seam); `schedctl metrics`, the file and the listener all render it, so they
//   always agree. `on_failure` hooks are `DaemonFailureHooks`.
// - This observer only publishes: each start, record and reload marks the file dirty; the file is
//   written on the loop's next turn (after every observer, the registry included, has seen the event)
//   and at most once a second (`MetricsFilePublisher`); `Daemon.finishObservability()` writes it a last
//   time after the loop ends, so runs that ended during shutdown are in it. A scrape renders on
//   demand.
// - Reload: a changed `metrics_listen` binds the new address before closing the old one (the same
//   port is released first, and the old address bound again if the new one fails); a changed
//   `metrics_file` switches the publisher.

/// Publishes the daemon's metrics to `metrics_file` and `metrics_listen`. Loop thread only.
final class DaemonObservability: DaemonObserver {
    private(set) var listener: MetricsListener?
    private(set) var publisher: MetricsFilePublisher?
    /// The address `listener` is bound to.
    private var listenAddress: ListenAddress?
    private unowned let daemon: Daemon

    /// Sets everything up for `daemon`'s current config: binds `metrics_listen`, schedules the first
    /// write of `metrics_file`.
    ///
    /// - Throws: `MetricsListenError` when `metrics_listen` cannot be bound.
    init(daemon: Daemon) throws(MetricsListenError) {
        self.daemon = daemon
        if let address = daemon.config.settings.metricsListen {
            listener = try makeListener(address)
            listenAddress = address
        }
        publisher = daemon.config.settings.metricsFile.map(makePublisher)
        publisher?.markChanged()
    }

    /// The exposition as of now.
    func exposition() -> String {
        daemon.metrics.render(for: daemon)
    }

    /// Writes the file one last time (after the loop has ended).
    func finish() {
        publisher?.writeNow()
    }

    // MARK: - DaemonObserver

    func daemon(_ daemon: Daemon, didStart run: RunRequest, at started: Instant) {
        publisher?.markChanged()
    }

    func daemon(_ daemon: Daemon, didRecord record: RunRecord) {
        publisher?.markChanged()
    }

    func daemon(_ daemon: Daemon, didReload outcome: ReloadOutcome) {
        if case .applied = outcome { reconfigure(daemon.config.settings) }
        publisher?.markChanged()
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
