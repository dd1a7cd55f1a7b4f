public import SchedTime

/// The one-line `STATUS=` text systemd shows in `systemctl status`: `12 jobs; next: backup in 3h 2m`.
public enum StatusText {
    /// The summary for `jobCount` jobs whose earliest next firing is `next` (job id and instant).
    public static func summary(jobCount: Int, next: (job: String, at: Instant)?, now: Instant) -> String {
        let jobs = "\(jobCount) \(jobCount == 1 ? "job" : "jobs")"
        guard let next else { return "\(jobs); nothing scheduled" }
        return "\(jobs); next: \(next.job) in \(approximate(next.at - now))"
    }

    /// A span in its two largest units, rounded down: `3h 2m`, `1m 5s`, `2d 4h`, `45s`; under a
    /// second (or negative, when already due) reads `<1s`.
    public static func approximate(_ span: Duration) -> String {
        let seconds = span.totalNanoseconds / 1_000_000_000
        guard seconds >= 1 else { return "<1s" }
        let units: [(suffix: String, size: Int64)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        var parts: [String] = []
        var remaining = seconds
        for unit in units {
            let count = remaining / unit.size
            remaining %= unit.size
            if count > 0 || !parts.isEmpty { parts.append("\(count)\(unit.suffix)") }
            if parts.count == 2 { break }
        }
        if parts.count == 2, parts[1].hasPrefix("0") { parts.removeLast() }
        return parts.joined(separator: " ")
    }
}
