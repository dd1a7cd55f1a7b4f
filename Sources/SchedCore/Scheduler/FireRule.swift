import SchedCron
import SchedTime

/// A job's trigger, start and end in the shape the scheduler's hot path wants: computed once per
/// definition, so a firing does not copy the whole `JobConfig` (and retain its many strings) to ask
/// for the next fire time. Must agree with `JobConfig.nextFire(after:everyAnchor:)`; the year-long
/// simulation test checks that it does.
struct FireRule: Sendable {
    enum Kind: Sendable {
        case cron(CronRule)
        case every(nanoseconds: Int64, anchor: Instant?)
        case at(Instant)
    }

    /// A cron trigger behind one reference.
    final class CronRule: Sendable {
        let expression: CronExpression
        let zone: Zone
        let policy: DSTPolicy
        init(expression: CronExpression, zone: Zone, policy: DSTPolicy) {
            self.expression = expression
            self.zone = zone
            self.policy = policy
        }

        /// Reads `expression` through `self`, which the optimiser borrows; reading it from outside
        /// copied the whole expression (and retained its strings) on every firing.
        func next(after instant: Instant) -> Instant? {
            expression.next(after: instant, in: zone, policy: policy)?.instant
        }
    }

    let kind: Kind
    let start: Instant?
    let end: Instant?

    init(_ config: JobConfig) {
        switch config.trigger {
        case .cron(let expression, let zone, let policy):
            kind = .cron(CronRule(expression: expression, zone: zone, policy: policy))
        case .every(let interval, let anchor):
            kind = .every(nanoseconds: interval.totalNanoseconds, anchor: anchor)
        case .at(let instant):
            kind = .at(instant)
        }
        start = config.start
        end = config.end
    }

    /// The first firing strictly after `instant`; an `every` trigger without its own anchor counts
    /// from `everyAnchor`. Same contract as `JobConfig.nextFire(after:everyAnchor:)`.
    func nextFire(after instant: Instant, everyAnchor: Instant) -> Instant? {
        // Firings at `start` itself count, so search from just before it.
        let from = start.map { max(instant, $0 - .nanoseconds(1)) } ?? instant
        let fire: Instant?
        switch kind {
        case .cron(let rule):
            fire = rule.next(after: from)
        case .every(let step, let anchor):
            guard step > 0 else { return nil }
            let base = anchor ?? everyAnchor
            let elapsed = from.nanosecondsSinceEpoch - base.nanosecondsSinceEpoch
            let steps = elapsed < 0 ? 1 : elapsed / step + 1
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
