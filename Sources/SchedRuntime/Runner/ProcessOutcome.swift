/// What happened to a job process, reported once it has exited and its output has been drained.
public struct ProcessOutcome: Sendable {
    /// The process id it ran as (also its process group id).
    public var pid: ProcessID
    /// Exit code or terminating signal of the job's main process.
    public var status: TerminationStatus
    /// True when `timeout` elapsed and the runner stopped the job.
    public var timedOut: Bool
    /// The reason passed to `stop(reason:)`, when the daemon stopped the job (shutdown, `schedctl kill`).
    public var stopReason: String?
    /// Monotonic time from just before fork to the exit being observed.
    public var duration: Duration
    /// The newest output bytes (stdout and stderr interleaved), at most `outputTailLimit`.
    public var outputTail: String
    /// Every byte the job wrote, kept or not.
    public var totalOutputBytes: Int

    /// The exit code, when the process exited normally.
    public var exitCode: Int32? {
        if case .exited(let code) = status { return code }
        return nil
    }

    /// The terminating signal, when a signal killed the process.
    public var signal: Signal? {
        if case .signaled(let signal) = status { return signal }
        return nil
    }

    /// True when older output was dropped from `outputTail`.
    public var isOutputTailTruncated: Bool
}
