import Glibc
public import SchedTime

/// A reading of `CLOCK_MONOTONIC`: for timeouts, kill grace periods and durations.
///
/// Distinct from `SchedTime.Instant` (the wall clock) so a monotonic reading can never be mistaken for
/// a date. Does not advance while the machine is suspended, matching the timerfd it arms.
public struct MonotonicInstant: Hashable, Comparable, Sendable {
    /// Nanoseconds since an unspecified point (boot).
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The current reading.
    public static func now() -> MonotonicInstant {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return MonotonicInstant(nanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    public static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// The reading `duration` later.
    public static func + (lhs: MonotonicInstant, rhs: Duration) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: lhs.nanoseconds + rhs.totalNanoseconds)
    }

    /// The span from `rhs` to `lhs`.
    public static func - (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Duration {
        .nanoseconds(lhs.nanoseconds - rhs.nanoseconds)
    }
}

/// Reads the wall clock (`CLOCK_REALTIME`): the one place the runtime learns the date.
public enum WallClock {
    /// The current wall-clock instant.
    public static func now() -> Instant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Instant(nanosecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }
}
