/// How many of one run's output lines still go to the daemon's log (`log_output_lines`).
///
/// Every line is logged as its own event, so a job that floods its output would flood the journal too,
/// and journald's per-service rate limit would then drop the daemon's own messages along with the job's.
/// Past the budget, lines are only counted; the run's record keeps the last 64 KiB either way.
final class OutputLogBudget {
    let limit: Int
    /// Lines the run has printed so far, logged or not.
    private(set) var lines = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts one line; true when it is still within the budget and should be logged.
    func admit() -> Bool {
        lines += 1
        return lines <= limit
    }

    /// True right after the first line over the budget was counted: the moment to say so, once.
    var justExceeded: Bool { lines == limit + 1 }

    /// Lines counted but not logged.
    var suppressed: Int { max(0, lines - limit) }
}
