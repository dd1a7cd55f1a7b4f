/// What `SchedulerCore.apply(config:now:)` changed, by job id, each list in config order
/// (`removed` in the old config's order).
public struct ConfigDiff: Hashable, Sendable {
    /// Ids new in the config.
    public var added: [String] = []
    /// Ids whose definition changed; their state (history, runs in flight) was kept.
    public var replaced: [String] = []
    /// Ids whose definition is the same, apart from where it is written.
    public var unchanged: [String] = []
    /// Ids no longer in the config; their runs in flight finish undisturbed.
    public var removed: [String] = []

    public init() {}
}
