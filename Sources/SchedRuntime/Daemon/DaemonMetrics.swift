public import SchedCore
public import SchedTime

/// Keeps the daemon's `MetricsRegistry` up to date from its events, and renders it for
/// `schedctl metrics` (the seam for `metrics_file` and `metrics_listen` too: call `render()`).
///
/// Counters and histograms come from the observer callbacks as they happen; the gauges are copied
/// from the core's job list only when rendering (`MetricsRegistry`'s design).
public final class DaemonMetrics: DaemonObserver {
    public private(set) var registry: MetricsRegistry

    init(loadedAt now: Instant) {
        registry = MetricsRegistry(version: BuildInfo.version)
        registry.configLoaded(at: now)
    }

    /// The Prometheus text exposition of every metric, gauges refreshed from `daemon`'s core.
    public func render(for daemon: Daemon) -> String {
        registry.update(statuses: daemon.core.jobStatuses)
        return registry.render()
    }

    public func daemon(_ daemon: Daemon, didStart run: RunRequest, at started: Instant) {
        registry.runStarted(run, at: started)
    }

    public func daemon(_ daemon: Daemon, didRecord record: RunRecord) {
        registry.recorded(record)
    }

    public func daemon(_ daemon: Daemon, didReload outcome: ReloadOutcome) {
        switch outcome {
        case .applied: registry.reloadSucceeded(at: WallClock.now())
        case .failed: registry.reloadFailed()
        }
    }
}
