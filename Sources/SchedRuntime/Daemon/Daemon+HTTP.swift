public import SchedCore

// MARK: - HTTP checks

extension Daemon {
    /// The HTTP probe installed beside this executable (`schedd-http-probe`).
    static let httpProbe = HTTPProbeLauncher.besideRunningExecutable()

    /// Starts an `http` job's check: the probe runs as the job's process (same user, environment,
    /// timeout and stop handling as a `command` job), and its report fills the run's HTTP status,
    /// latency, failure reason and body excerpt. See `HTTPProbeLauncher`.
    public func startHTTPCheck(_ request: RunRequest, check: HTTPCheck) {
        guard let jobSpec = processSpec(for: request, program: .arguments([])) else { return }
        let spec = Self.httpProbe.probeSpec(from: jobSpec, check: check)
        let runID = request.runID
        let started = WallClock.now()
        let process: RunningProcess
        do {
            process = try Self.httpProbe.start(spec, on: runner) { [unowned self] outcome, report in
                let base = Daemon.runOutcome(outcome, started: started, finished: WallClock.now())
                finishRun(runID, outcome: HTTPProbeLauncher.runOutcome(base, report: report))
            }
        } catch {
            failToStart(request, reason: error.description)
            return
        }
        registerRun(
            RunHandle(request: request, started: started) { [weak process] reason in process?.stop(reason: reason) }
        )
    }
}
