import SchedCore

// MARK: - Metrics, metrics_file, metrics_listen and failure hooks

extension Daemon {
    /// Turns on metrics (`metrics_file`, `metrics_listen`, the control socket's `metrics`) and
    /// `on_failure` hooks: registers a `DaemonObservability` observer. Call once, before `run()`.
    ///
    /// - Throws: `MetricsListenError` when `metrics_listen` cannot be bound (the daemon should not
    ///   start half-configured).
    public func enableObservability() throws(MetricsListenError) {
        guard observability == nil else { return }
        addObserver(try DaemonObservability(daemon: self))
    }

    /// The Prometheus text exposition as of now (the control socket's `metrics` answer). Works without
    /// `enableObservability()` too, then with gauges only (no counters were collected).
    public func metricsExposition() -> String {
        if let observability { return observability.exposition() }
        var registry = MetricsRegistry(version: BuildInfo.version)
        registry.configLoaded(at: startedAt)
        registry.update(statuses: core.jobStatuses)
        return registry.render()
    }

    /// The observability observer, once enabled.
    var observability: DaemonObservability? {
        observers.lazy.compactMap { $0 as? DaemonObservability }.first
    }
}
