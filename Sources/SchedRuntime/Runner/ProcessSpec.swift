/// Everything needed to start one job process.
///
/// The environment is exact: nothing of the daemon's own environment leaks in, so the daemon builds the
/// job environment (PATH, HOME, USER, …, SCHEDD_*) and passes all of it here.
public struct ProcessSpec: Sendable {
    /// What to execute.
    public enum Program: Sendable, Hashable {
        /// `argv` as given; `argv[0]` without a slash is searched in the job environment's `PATH`.
        case arguments([String])
        /// A shell command line, run as `/bin/sh -c <command>`.
        case shell(String)

        /// The argv the program runs with.
        var argv: [String] {
            switch self {
            case .arguments(let arguments): arguments
            case .shell(let command): ["/bin/sh", "-c", command]
            }
        }
    }

    /// The program and its arguments.
    public var program: Program
    /// `KEY=value` strings, exactly the job's environment.
    public var environment: [String]
    /// The directory to run in; nil keeps the daemon's.
    public var workingDirectory: String?
    /// The user and groups to run as; nil keeps the daemon's (no `setuid`).
    public var identity: ProcessIdentity?
    /// After this long (monotonic) the job is stopped: SIGTERM to its process group, then SIGKILL after
    /// `killGrace`. Nil means no limit.
    public var timeout: Duration?
    /// How long a stopped job gets between SIGTERM and SIGKILL.
    public var killGrace: Duration
    /// Bytes of output kept for the run record (the newest ones).
    public var outputTailLimit: Int
    /// Longer lines are cut here (bytes) and marked truncated.
    public var maxLineLength: Int
    /// Bytes the process reads on stdin, then end of file (a failure hook gets the output tail); nil
    /// means `/dev/null`. They are written into the pipe before the launch, so at most the pipe's
    /// capacity (normally 64 KiB) is passed: the *last* bytes when there are more.
    public var standardInput: [UInt8]?
    /// How long to keep reading output after the job exited, when a background process it left behind
    /// still holds the pipes open; then the pipes are closed and the outcome reported.
    public var outputDrainTimeout: Duration

    /// A spec with the runtime defaults: no timeout, 10 s kill grace, 64 KiB tail, 4 KiB lines, 1 s drain.
    public init(
        program: Program,
        environment: [String],
        workingDirectory: String? = nil,
        identity: ProcessIdentity? = nil,
        timeout: Duration? = nil,
        killGrace: Duration = .seconds(10),
        outputTailLimit: Int = 64 * 1024,
        maxLineLength: Int = 4096,
        outputDrainTimeout: Duration = .seconds(1),
        standardInput: [UInt8]? = nil
    ) {
        self.program = program
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.identity = identity
        self.timeout = timeout
        self.killGrace = killGrace
        self.outputTailLimit = outputTailLimit
        self.maxLineLength = maxLineLength
        self.outputDrainTimeout = outputDrainTimeout
        self.standardInput = standardInput
    }
}
