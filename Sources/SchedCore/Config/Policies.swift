import SchedTime

// Small closed policy types named in the config. Each raw value is the spelling users write.

/// What happens when a job is due while an earlier run of it is still going
/// (and `max_instances` runs are already active).
public enum OverlapPolicy: String, Hashable, Sendable, CaseIterable {
    /// Drop the new firing and record it as `skipped`.
    case skip
    /// Hold the new firing until a run finishes; at most one firing waits per job.
    case queue
    /// Stop the oldest running instance (TERM, grace, KILL), then start the new one.
    case replace
}

/// What the daemon does at start-up with a run that a crash or shutdown interrupted.
public enum InterruptedPolicy: String, Hashable, Sendable, CaseIterable {
    /// Record it as `interrupted` and wait for the next regular firing.
    case skip
    /// Record it as `interrupted` and start it again at once.
    case rerun
}

/// How the daemon writes its log lines.
public enum LogFormat: String, Hashable, Sendable, CaseIterable {
    /// `2026-11-28T03:00:00Z info job=backup …`, for journald and people.
    case text
    /// One JSON object per line, for log shippers.
    case json
}

/// How a failed run is retried: `attempts` more tries, waiting `backoff`, then `backoff × factor`,
/// … each capped at `maxDelay`.
public struct RetryPolicy: Hashable, Sendable {
    /// Extra attempts after the first failure; 0 disables retrying.
    public var attempts: Int
    /// The wait before the first retry.
    public var backoff: Duration
    /// Multiplier for each following wait (≥ 1; 1 means a constant delay).
    public var factor: Double
    /// Upper bound of any single wait.
    public var maxDelay: Duration

    public init(attempts: Int, backoff: Duration, factor: Double, maxDelay: Duration) {
        self.attempts = attempts
        self.backoff = backoff
        self.factor = factor
        self.maxDelay = maxDelay
    }

    /// No retries (the default): `attempts = 0`, `backoff = "1s"`, `factor = 2.0`, `max_delay = "5m"`.
    public static let none = RetryPolicy(attempts: 0, backoff: .seconds(1), factor: 2, maxDelay: .seconds(300))

    /// The wait before retry number `retry` (1-based), or nil when attempts are used up.
    public func delay(beforeRetry retry: Int) -> Duration? {
        guard retry >= 1, retry <= attempts else { return nil }
        let base = Double(backoff.totalNanoseconds)
        let cap = Double(maxDelay.totalNanoseconds)
        var nanoseconds = base
        for _ in 1..<retry {
            nanoseconds *= factor
            if nanoseconds >= cap { break }
        }
        return .nanoseconds(Int64(min(nanoseconds, cap)))
    }
}
