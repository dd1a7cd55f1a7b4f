public import SchedCore

/// Runs HTTP health checks (`http = {…}` jobs) as a child process: the `schedd-http-probe` executable
/// installed beside `schedd`.
///
/// The daemon builds a job's `ProcessSpec` as for any job (environment, user, working directory,
/// timeout, kill grace), then `probeSpec(from:check:)` turns it into the probe's, `start` runs it and
/// picks the probe's one-line JSON report out of its stdout, and `runOutcome(_:report:)` lays the
/// report over the ordinary outcome. Retries, timeouts and overlap therefore apply exactly as for any
/// job, and no HTTP or TLS code is ever loaded into the daemon.
public struct HTTPProbeLauncher: Sendable {
    /// The probe's file name.
    public static let probeName = "schedd-http-probe"

    /// How much longer than the request's own limit the runner lets the probe live: the probe reports
    /// its own timeout, and the runner's stop is only the backstop for a probe that hangs.
    public static let backstopMargin = Duration.seconds(3)

    /// Absolute path of `schedd-http-probe`.
    public var probePath: String

    public init(probePath: String) {
        self.probePath = probePath
    }

    /// The probe in the folder of the running executable (`/proc/self/exe`), where the package installs
    /// it beside `schedd`. Resolving the link means a symlinked `schedd` still finds its own probe.
    public static func besideRunningExecutable() -> HTTPProbeLauncher {
        let executable = ProcessEnvironment.executablePath ?? "./schedd"
        let folder = executable.lastIndex(of: "/").map { String(executable[..<$0]) } ?? "."
        return HTTPProbeLauncher(probePath: folder + "/" + probeName)
    }

    // MARK: - Spec

    /// The probe's spec, made from the spec the job would have had as a command.
    ///
    /// - The request's time limit is the check's `timeout`, else the job's, else 30 s
    ///   (`HTTPProbeRequest.defaultTimeout`).
    /// - The runner's timeout is the job's when that is shorter than the request's limit (the job's
    ///   limit then wins, as for any job); otherwise the request's limit plus `backstopMargin`, so the
    ///   probe, not the runner, reports a timeout with its phase.
    /// - The environment is the job's, minus any `SCHEDD_HTTP_*` entries it set itself, plus the
    ///   request's headers and body (never on the command line, which every local user can read).
    public func probeSpec(from jobSpec: ProcessSpec, check: HTTPCheck) -> ProcessSpec {
        let request = HTTPProbeRequest(check: check, jobTimeout: jobSpec.timeout)
        var spec = jobSpec
        spec.program = .arguments([probePath] + request.arguments)
        spec.environment = jobSpec.environment.filter { !HTTPProbeRequest.isProbeVariable($0) } + request.environment
        if let jobTimeout = jobSpec.timeout, jobTimeout < request.timeout {
            spec.timeout = jobTimeout
        } else {
            spec.timeout = request.timeout + Self.backstopMargin
        }
        // The report line carries up to 1 KiB of body, JSON-escaped (up to 6 bytes per byte).
        spec.maxLineLength = max(spec.maxLineLength, 64 * 1024)
        return spec
    }

    // MARK: - Running

    /// Starts the probe on `runner`.
    ///
    /// - Parameter onExit: the process outcome and the probe's report (nil when the probe printed
    ///   none: it crashed, was killed, or could not parse its arguments), on the loop thread.
    /// - Throws: `SpawnError` when the probe could not be executed (a missing install, say).
    public func start(
        _ spec: ProcessSpec,
        on runner: ProcessRunner,
        onExit: @escaping (ProcessOutcome, ProbeResult?) -> Void
    ) throws(SpawnError) -> RunningProcess {
        var report: ProbeResult?
        var sawStandardOutput = false
        return try runner.start(
            spec,
            onOutputLine: { line in
                // Only the first stdout line is the report; anything else is not ours to trust.
                guard line.stream == .standardOutput, !sawStandardOutput else { return }
                sawStandardOutput = true
                if !line.isTruncated { report = ProbeResult(jsonLine: line.text) }
            },
            onExit: { outcome in onExit(outcome, report) }
        )
    }

    /// `base` (the outcome the daemon builds from any process) with the probe's findings: HTTP status,
    /// latency, the failure reason, and the body excerpt as the output tail.
    ///
    /// Without a report, an exit is a failure whose reason says so and whose output tail (the probe's
    /// stderr) explains it; a timeout, a signal or a failed start stay as they are.
    public static func runOutcome(_ base: RunOutcome, report: ProbeResult?) -> RunOutcome {
        var outcome = base
        guard case .exited(let code) = base.termination else { return outcome }
        guard let report else {
            outcome.termination = .exited(code: code == 0 ? 1 : code)
            outcome.reason = "the HTTP probe exited with status \(code) without a report"
            return outcome
        }
        outcome.httpStatus = report.httpStatus
        outcome.latency = report.latency
        outcome.reason = report.reason
        outcome.outputTail = report.bodyExcerpt
        // The report decides, whatever the exit status says.
        outcome.termination = .exited(code: report.exitCode)
        return outcome
    }
}
