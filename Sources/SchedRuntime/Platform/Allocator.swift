import CSchedLinux

/// glibc malloc settings for a long-running daemon whose large allocations come in bursts (a reload of
/// a 10,000-job config, a `list` response, a metrics scrape) between long quiet stretches.
public enum Allocator {
    /// Keeps large blocks on mmap for the life of the process; call once, before the config is loaded.
    /// (glibc otherwise raises its mmap threshold to the largest block ever freed, after which such
    /// bursts land in the heap, fragment it, and the daemon's RSS creeps up.)
    public static func tuneForDaemon() {
        csl_tune_allocator()
    }

    /// Hands free heap pages back to the kernel after a burst.
    public static func releaseFreeMemory() {
        csl_release_free_memory()
    }
}
