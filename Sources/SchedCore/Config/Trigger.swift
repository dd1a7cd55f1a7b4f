public import SchedCron
public import SchedTime

/// When a job fires.
public enum Trigger: Hashable, Sendable {
    /// Calendar firings of a cron expression in `zone` (the `CRON_TZ=` zone, else the job's, else the
    /// scheduler's). `@reboot` is a cron trigger whose expression `isReboot`.
    case cron(CronExpression, zone: Zone, policy: DSTPolicy)
    /// Every `interval` of real elapsed time (DST does not matter). The first firing is one interval
    /// after `anchor` (the job's `start`), or after the daemon loads the job when there is none.
    case every(Duration, anchor: Instant?)
    /// Once, at `instant`.
    case at(Instant)

    /// True for `cron = "@reboot"`.
    public var isReboot: Bool {
        if case .cron(let expression, _, _) = self { return expression.isReboot }
        return false
    }
}
