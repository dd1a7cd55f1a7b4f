import SchedTime

/// A Prometheus histogram of durations with fixed upper bounds, kept in nanoseconds so bucket
/// membership and the sum are exact.
///
/// `bucketCounts[i]` counts observations in `(upperBounds[i-1], upperBounds[i]]` (not cumulative);
/// observations above the last bound count only in `count` (the `+Inf` bucket). Cumulative counts are
/// formed when rendering.
public struct Histogram: Hashable, Sendable {
    /// Ascending, distinct upper bounds (inclusive, as Prometheus' `le`).
    public let upperBounds: [Duration]
    public private(set) var bucketCounts: [UInt64]
    /// Total of all observations; saturates rather than trapping (after ~292 years of run time).
    public private(set) var sum: Duration = .zero
    public private(set) var count: UInt64 = 0

    public init(upperBounds: [Duration]) {
        precondition(zip(upperBounds, upperBounds.dropFirst()).allSatisfy { $0 < $1 }, "bounds must ascend")
        self.upperBounds = upperBounds
        bucketCounts = Array(repeating: 0, count: upperBounds.count)
    }

    /// Counts `value` in the first bucket whose bound is at least `value`. Negative values count as zero.
    public mutating func observe(_ value: Duration) {
        let value = max(value, .zero)
        // Binary search for the first bound >= value.
        var low = 0
        var high = upperBounds.count
        while low < high {
            let middle = (low + high) / 2
            if upperBounds[middle] < value { low = middle + 1 } else { high = middle }
        }
        if low < upperBounds.count { bucketCounts[low] += 1 }
        count += 1
        let (total, overflow) = sum.totalNanoseconds.addingReportingOverflow(value.totalNanoseconds)
        sum = .nanoseconds(overflow ? Int64.max : total)
    }

    /// Bounds for run durations: 100 ms to 4 h.
    public static let runDurationBounds: [Duration] = [
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300), .seconds(600), .seconds(1800),
        .seconds(3600), .seconds(7200), .seconds(14400),
    ]

    /// Bounds for firing lateness: 1 ms to 5 min (a late wake-up, a busy `max_concurrent`, jitter).
    public static let latenessBounds: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30),
        .seconds(60), .seconds(300),
    ]
}
