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
