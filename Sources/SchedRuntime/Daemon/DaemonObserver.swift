public import SchedCore
public import SchedTime

/// Hooks for subsystems that follow what the daemon does without being part of its core loop: the
/// persistent state store, metrics, the control server's `run-now --wait`.
///
/// Every method is called on the event-loop thread, right after the daemon acted, and has a default
/// no-op implementation, so an observer implements only what it needs. Register with
/// `Daemon.addObserver(_:)`. Observers must not block: they run inside the loop.
public protocol DaemonObserver: AnyObject {
    /// A run's process (or HTTP check) has started.
    func daemon(_ daemon: Daemon, didStart run: RunRequest, at started: SchedTime.Instant)
    /// A run finished, or a firing was skipped or missed: the record the core produced (also appended
    /// to `Daemon.history` just before).
    func daemon(_ daemon: Daemon, didRecord record: RunRecord)
    /// A reload was attempted (SIGHUP or the control socket).
    func daemon(_ daemon: Daemon, didReload outcome: ReloadOutcome)
    /// Shutdown began: no new runs start from now on.
    func daemonWillStop(_ daemon: Daemon)
}

extension DaemonObserver {
    public func daemon(_ daemon: Daemon, didStart run: RunRequest, at started: SchedTime.Instant) {}
    public func daemon(_ daemon: Daemon, didRecord record: RunRecord) {}
    public func daemon(_ daemon: Daemon, didReload outcome: ReloadOutcome) {}
    public func daemonWillStop(_ daemon: Daemon) {}
}

/// What a reload did.
public enum ReloadOutcome: Sendable {
    /// The new config was applied; the diff says which jobs changed.
    case applied(ConfigDiff)
    /// The new config had errors (every one listed); the old schedule keeps running.
    case failed([ConfigDiagnostic])
}
