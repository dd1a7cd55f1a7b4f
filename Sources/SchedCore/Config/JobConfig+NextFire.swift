import SchedCron
public import SchedTime

extension JobConfig {
    /// The job's first firing strictly after `now`, within its `start`/`end` window; nil when there
    /// is none (a past `at`, an `end` already reached, a cron that never fires) and for `@reboot`,
    /// which fires only when the daemon starts. `enabled` is not considered.
    ///
    /// An `every` job without a `start` counts from `now`, as the daemon does when it loads the job;
    /// with one, firings fall on `start + k × interval`, k ≥ 1.
    public func nextFire(after now: Instant) -> Instant? {
        // Firings at `start` itself count, so search from just before it.
        let from = start.map { max(now, $0 - .nanoseconds(1)) } ?? now
        let fire: Instant?
        switch trigger {
        case .cron(let expression, let zone, let policy):
            fire = expression.next(after: from, in: zone, policy: policy)?.instant
        case .every(let interval, let anchor):
            let step = interval.totalNanoseconds
            let base = anchor ?? now
            let elapsed = from.nanosecondsSinceEpoch - base.nanosecondsSinceEpoch
            let steps = elapsed < 0 || step <= 0 ? 1 : elapsed / step + 1
            // Past the end of `Instant` (year 2262) there is no next firing.
            let (offset, multiplyOverflow) = steps.multipliedReportingOverflow(by: step)
            let (nanoseconds, addOverflow) = base.nanosecondsSinceEpoch.addingReportingOverflow(offset)
            fire = multiplyOverflow || addOverflow ? nil : Instant(nanosecondsSinceEpoch: nanoseconds)
        case .at(let instant):
            fire = instant > from ? instant : nil
        }
        guard let fire else { return nil }
        if let end, fire > end { return nil }
        return fire
    }
}
