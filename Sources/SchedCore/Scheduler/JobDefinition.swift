import SchedTime

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
