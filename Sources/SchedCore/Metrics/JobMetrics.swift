public import SchedTime

/// What the metrics registry keeps for one job.
public struct JobMetrics: Hashable, Sendable {
    /// Runs and recorded firings by result (indexed like `RunResult.allCases`); a summary record counts
    /// once per firing it stands for. A plain array, not a dictionary: no hashing per record.
    public var runsByResult: [UInt64] = Array(repeating: 0, count: RunResult.allCases.count)
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
    public func runs(_ result: RunResult) -> UInt64 { runsByResult[result.index] }
}

extension RunResult {
    /// Position in `allCases`, for arrays indexed by result.
    var index: Int {
        switch self {
        case .ok: 0
        case .failed: 1
        case .timeout: 2
        case .killed: 3
        case .missed: 4
        case .skipped: 5
        case .interrupted: 6
        }
    }
}
