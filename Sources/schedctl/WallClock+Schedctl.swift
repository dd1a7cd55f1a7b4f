import SchedTime

#if canImport(Glibc)
    import Glibc
#endif

/// The wall clock for schedctl's tables (`CLOCK_REALTIME`).
enum WallClock {
    static func currentInstant() -> Instant {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Instant(nanosecondsSinceEpoch: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }
}
