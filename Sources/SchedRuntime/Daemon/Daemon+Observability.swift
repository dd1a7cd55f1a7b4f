// MARK: - metrics_file and metrics_listen

extension Daemon {
    /// Publishes the daemon's metrics (`Daemon.metrics`) to `metrics_file` and `metrics_listen`:
    /// registers a `DaemonObservability` observer. Call once, before `run()`; after `run()` returns,
    /// call `finishObservability()` so the file shows the runs that ended during shutdown.
    ///
    /// - Throws: `MetricsListenError` when `metrics_listen` cannot be bound (the daemon should not
    ///   start half-configured).
    public func enableObservability() throws(MetricsListenError) {
        guard observability == nil else { return }
        addObserver(try DaemonObservability(daemon: self))
    }

    /// Writes `metrics_file` a last time; call after `run()` has returned.
    public func finishObservability() {
        observability?.finish()
    }

    /// The observability observer, once enabled.
    var observability: DaemonObservability? {
        observers.lazy.compactMap { $0 as? DaemonObservability }.first
    }
}
