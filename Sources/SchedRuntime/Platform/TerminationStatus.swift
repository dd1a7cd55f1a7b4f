/// How a child process ended, as `waitpid` reports it.
public enum TerminationStatus: Hashable, Sendable {
    /// Exited normally with this code (0–255).
    case exited(code: Int32)
    /// Killed by this signal.
    case signaled(Signal)
}
