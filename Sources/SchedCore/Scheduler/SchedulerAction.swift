import SchedCron
public import SchedTime

/// What the core asks the shell to do. The shell performs actions in order.
public enum SchedulerAction: Equatable, Sendable {
    /// Start a process for `request` now.
    case start(RunRequest)
    /// Stop the running `run` (TERM to its process group, `kill_grace`, KILL) and report its end
    /// with `SchedulerCore.runFinished` as usual.
    case stop(run: RunID, reason: String)
    /// Persist and publish `record`: a finished run, or a firing that was skipped or missed.
    case record(RunRecord)
}

/// Everything the shell needs to start one run.
public struct RunRequest: Equatable, Sendable {
    public var runID: RunID
    public var jobID: String
    /// The nominal fire time (jitter does not move it); `SCHEDD_SCHEDULED_TIME`. For run-now, the
    /// instant it was asked for.
    public var scheduled: Instant
    /// 1 for the first try, n + 1 for the n-th retry; `SCHEDD_ATTEMPT`.
    public var attempt: Int
    /// True for `schedctl run-now`.
    public var isManual: Bool
    /// The job's definition at the time of the request (action, environment, timeouts, user).
    public let definition: JobDefinition

    /// The job's configuration as it was when the run was requested.
    public var config: JobConfig { definition.config }

    public static func == (lhs: RunRequest, rhs: RunRequest) -> Bool {
        lhs.runID == rhs.runID && lhs.jobID == rhs.jobID && lhs.scheduled == rhs.scheduled
            && lhs.attempt == rhs.attempt && lhs.isManual == rhs.isManual && lhs.config == rhs.config
    }
}

/// An immutable, shared `JobConfig`: a run request carries one reference instead of copying the
/// configuration's many strings and arrays for every firing.
public final class JobDefinition: Sendable {
    public let config: JobConfig
    /// The trigger in hot-path form.
    let rule: FireRule
    /// Copies of the settings every firing reads.
    let id: String
    let misfireGrace: Duration
    let jitterNanoseconds: Int64
    let maxInstances: Int
    let isEnabled: Bool

    public init(_ config: JobConfig) {
        self.config = config
        rule = FireRule(config)
        id = config.id
        misfireGrace = config.misfireGrace
        jitterNanoseconds = config.jitter.totalNanoseconds
        maxInstances = config.maxInstances
        isEnabled = config.enabled
    }
}

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
            fire = rule.expression.next(after: from, in: rule.zone, policy: rule.policy)?.instant
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
