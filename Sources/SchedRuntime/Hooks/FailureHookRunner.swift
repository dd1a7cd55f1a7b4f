public import SchedCore
import SchedTime

// Failure hooks: `on_failure = ["/usr/local/bin/notify", "--team", "ops"]`.
//
// Design note
// - When: the daemon calls `runIfNeeded` with every record; the hook starts only when the record ends its
//   firing in failure for good (`RunRecord.endsFiringInFailure(retry:)`: after the last retry; never for
//   skipped, missed, interrupted, or a stop the core asked for). So a firing with retries runs its hook at
//   most once, after its last attempt.
// - How: a process through the same `ProcessRunner` as jobs (own session, exact environment, timeout →
//   TERM → KILL), with the job's environment plus `SCHEDD_JOB_ID`, `SCHEDD_RUN_ID`, `SCHEDD_RESULT`,
//   `SCHEDD_EXIT_CODE` (empty without an exit code), `SCHEDD_SIGNAL` and `SCHEDD_REASON` when known, and
//   the run's output tail on stdin.
// - Never a loop: a hook's outcome is logged (`hook_finished` / `hook_failed`) and goes nowhere else; it
//   is not a run, never retried, never recorded, and cannot trigger a hook. At most `maximumRunning`
//   hooks run at once; beyond that a hook is dropped with an error, so a flapping job cannot fork-bomb
//   the host.

/// Starts `on_failure` commands; see the design note above. Use on the loop thread.
public final class FailureHookRunner {
    /// What happened to one hook, for callers that want to know (tests; the daemon only logs).
    public enum Outcome {
        /// The hook ran and ended (see `ProcessOutcome.status`, `timedOut`).
        case finished(ProcessOutcome)
        /// It could not be started.
        case notStarted(SpawnError)
        /// `maximumRunning` hooks were already running.
        case dropped
    }

    private let runner: ProcessRunner
    private let logger: Logger
    /// How long a hook may run before it is stopped (TERM, `killGrace`, KILL).
    public let timeout: Duration
    public let killGrace: Duration
    public let maximumRunning: Int
    /// Hooks started and not yet finished, by a token of ours (the exit callback may in principle
    /// arrive before `start` returns, so the handle is stored only while the token is still active).
    private var active: Set<UInt64> = []
    private var handles: [UInt64: RunningProcess] = [:]
    private var nextToken: UInt64 = 1

    public init(
        runner: ProcessRunner,
        logger: Logger,
        timeout: Duration = .seconds(60),
        killGrace: Duration = .seconds(5),
        maximumRunning: Int = 16
    ) {
        self.runner = runner
        self.logger = logger
        self.timeout = timeout
        self.killGrace = killGrace
        self.maximumRunning = maximumRunning
    }

    /// Hooks running now.
    public var runningCount: Int { active.count }

    /// Runs `job`'s `on_failure` hook when `record` ends its firing in failure for good.
    ///
    /// - Parameters:
    ///   - environment: the job's environment (`KEY=value`, as its runs get it); the hook's variables are
    ///     appended, so they win over anything of the same name.
    ///   - identity, workingDirectory: as for the job's runs.
    ///   - onFinish: called once with the outcome (also for `.notStarted` and `.dropped`).
    /// - Returns: true when a hook process was started.
    @discardableResult
    public func runIfNeeded(
        for record: RunRecord,
        job: JobConfig,
        environment: [String],
        identity: ProcessIdentity? = nil,
        workingDirectory: String? = nil,
        onFinish: @escaping (Outcome) -> Void = { _ in }
    ) -> Bool {
        guard let command = job.onFailure, !command.isEmpty, record.endsFiringInFailure(retry: job.retry) else {
            return false
        }
        return run(
            command,
            for: record,
            environment: environment,
            identity: identity,
            workingDirectory: workingDirectory,
            onFinish: onFinish
        )
    }

    /// Runs `command` as the failure hook of `record`, unconditionally (see `runIfNeeded`).
    @discardableResult
    public func run(
        _ command: [String],
        for record: RunRecord,
        environment: [String],
        identity: ProcessIdentity? = nil,
        workingDirectory: String? = nil,
        onFinish: @escaping (Outcome) -> Void = { _ in }
    ) -> Bool {
        let fields: [(key: String, value: LogValue)] = [
            ("job", .string(record.job)),
            ("run", .string(record.runID.description)),
            ("hook", .string(command.joined(separator: " "))),
        ]
        guard active.count < maximumRunning else {
            logger.log(.error, "hook_dropped", fields: fields + [("reason", "\(maximumRunning) hooks already running")])
            onFinish(.dropped)
            return false
        }
        let spec = ProcessSpec(
            program: .arguments(command),
            environment: environment + Self.hookVariables(record),
            workingDirectory: workingDirectory,
            identity: identity,
            timeout: timeout,
            killGrace: killGrace,
            outputTailLimit: 4096,
            standardInput: Array((record.outputTail ?? "").utf8)
        )
        let token = nextToken
        nextToken += 1
        active.insert(token)
        let process: RunningProcess
        do {
            process = try runner.start(
                spec,
                onOutputLine: { [logger] line in
                    logger.log(
                        .info,
                        "hook_output",
                        fields: fields + [("stream", .string(line.stream.rawValue)), ("line", .string(line.text))]
                    )
                },
                onExit: { [weak self, logger] outcome in
                    self?.active.remove(token)
                    self?.handles[token] = nil
                    Self.logOutcome(outcome, fields: fields, logger: logger)
                    onFinish(.finished(outcome))
                }
            )
        } catch {
            active.remove(token)
            logger.log(.error, "hook_failed", fields: fields + [("reason", .string(error.description))])
            onFinish(.notStarted(error))
            return false
        }
        if active.contains(token) { handles[token] = process }
        logger.log(.info, "hook_started", fields: fields + [("pid", .integer(Int64(process.pid.rawValue)))])
        return true
    }

    /// Stops every running hook (shutdown).
    public func stopAll() {
        for process in handles.values { process.stop(reason: "shutdown") }
    }

    /// `SCHEDD_JOB_ID`, `SCHEDD_RUN_ID`, `SCHEDD_RESULT`, `SCHEDD_EXIT_CODE`, then the optional ones.
    static func hookVariables(_ record: RunRecord) -> [String] {
        var variables = [
            "SCHEDD_JOB_ID=\(record.job)",
            "SCHEDD_RUN_ID=\(record.runID)",
            "SCHEDD_RESULT=\(record.result.rawValue)",
            "SCHEDD_EXIT_CODE=\(record.exitCode.map(String.init) ?? "")",
            "SCHEDD_ATTEMPT=\(record.attempt)",
            "SCHEDD_SCHEDULED_TIME=\(RFC3339.format(record.scheduled))",
        ]
        if let signal = record.signal { variables.append("SCHEDD_SIGNAL=\(signal)") }
        if let reason = record.reason { variables.append("SCHEDD_REASON=\(reason)") }
        return variables
    }

    private static func logOutcome(
        _ outcome: ProcessOutcome,
        fields: [(key: String, value: LogValue)],
        logger: Logger
    ) {
        let duration = outcome.duration.totalNanoseconds / 1_000_000
        var all = fields + [("duration_ms", .integer(duration))]
        if let code = outcome.exitCode { all.append(("exit", .integer(Int64(code)))) }
        if let signal = outcome.signal { all.append(("signal", .integer(Int64(signal.rawValue)))) }
        if outcome.timedOut {
            logger.log(.error, "hook_failed", fields: all + [("reason", "timeout")])
        } else if outcome.exitCode == 0 {
            logger.log(.info, "hook_finished", fields: all)
        } else {
            logger.log(.error, "hook_failed", fields: all)
        }
    }
}
