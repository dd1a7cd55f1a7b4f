/// Why a job process could not be started. Thrown by `ProcessRunner.start`; `description` is the sentence
/// the run record and the log show, e.g. `cannot start '/nope': No such file or directory`.
public struct SpawnError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: Hashable, Sendable {
        /// The argv was empty.
        case emptyCommand
        /// `execve` failed for every candidate (missing, not executable, bad interpreter, …).
        case executable
        /// `chdir` to the working directory failed.
        case workingDirectory
        /// `setgroups`/`setgid`/`setuid` failed.
        case identity
        /// Creating pipes, forking or another setup step failed.
        case setup
    }

    /// What failed.
    public var code: Code
    /// The program as given (`argv[0]`).
    public var program: String
    /// The system error, when one caused it.
    public var underlying: Errno?
    /// The specific detail for the message (directory, step name).
    public var detail: String

    public init(code: Code, program: String, underlying: Errno?, detail: String = "") {
        self.code = code
        self.program = program
        self.underlying = underlying
        self.detail = detail
    }

    public var description: String {
        let cause = underlying.map { ": \($0)" } ?? ""
        switch code {
        case .emptyCommand: return "cannot start a job with an empty command"
        case .executable: return "cannot start '\(program)'\(cause)"
        case .workingDirectory: return "cannot change to working directory '\(detail)'\(cause)"
        case .identity: return "cannot start '\(program)' as \(detail)\(cause)"
        case .setup: return "cannot start '\(program)': \(detail) failed\(cause)"
        }
    }
}
