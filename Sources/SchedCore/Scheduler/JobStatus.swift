public import SchedTime

/// One job as `schedctl list` shows it.
public struct JobStatus: Hashable, Sendable {
    /// The listing state.
    public enum State: String, Hashable, Sendable, CaseIterable {
        /// Enabled, waiting for its next firing.
        case scheduled
        /// At least one run is active.
        case running
        /// Paused with `schedctl pause`.
        case paused
        /// `enabled = false` in the config.
        case disabled
    }

    public var id: String
    /// The trigger as configured.
    public var trigger: String
    public var state: State
    /// The next nominal fire time; nil when none is coming (paused, disabled, past `end`, a spent
    /// `at`, `@reboot`).
    public var next: Instant?
    /// The scheduled instant of the last firing handled (run, skipped or missed).
    public var lastFire: Instant?
    /// The last finished, skipped or missed run.
    public var last: RunRecord?
    /// Active runs, oldest first.
    public var running: [RunID]
    /// The scheduled instant of the firing waiting for a free instance (`on_overlap` queue or
    /// replace), if any.
    public var queued: Instant?
    /// Failed, timed-out or killed runs since the last success.
    public var consecutiveFailures: Int
    /// The HTTP status of the last run that got that far; a later skipped or missed firing keeps it.
    public var lastHTTPStatus: Int? = nil
}
