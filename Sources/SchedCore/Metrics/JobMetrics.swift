public import SchedTime

/// What the metrics registry keeps for one job.
public struct JobMetrics: Hashable, Sendable {
    /// Runs and recorded firings by result; a summary record counts once per firing it stands for.
    public var runsByResult: [RunResult: UInt64] = [:]
    public var lastRunStart: Instant?
    public var lastRunEnd: Instant?
    public var lastSuccess: Instant?
    /// Wall-clock run time of runs that started and finished.
    public var duration = Histogram(upperBounds: Histogram.runDurationBounds)
    /// Start minus nominal fire time, for the first attempt of scheduled (not manual) firings.
    public var lateness = Histogram(upperBounds: Histogram.latenessBounds)
    // Gauges refreshed from `JobStatus` (see `MetricsRegistry.update(statuses:)`).
    public var running = 0
    public var consecutiveFailures = 0
    public var nextFire: Instant?
    public var state: JobStatus.State = .scheduled

    public init() {}

    /// Runs ended or firings recorded with `result`.
    public func runs(_ result: RunResult) -> UInt64 { runsByResult[result] ?? 0 }
}
