public import SchedCore
import SchedTime

// MARK: - Performing the core's actions

extension Daemon {
    /// Performs a batch of core actions in order — start runs, stop runs, record results — then
    /// re-arms the alarm for the core's next deadline and refreshes the systemd status. Every core
    /// call's actions go through here (control requests too).
    public func perform(_ actions: [SchedulerAction]) {
        let ledgerFrame = persistStarts(in: actions)
        for action in actions {
            switch action {
            case .start(let request):
                if let ledgerFrame {
                    startWhenDurable(request, frame: ledgerFrame)
                } else {
                    startQueue.append(request)
                }
            case .stop(let run, let reason):
                if let handle = activeRuns[run] {
                    handle.stop(reason)
                } else if let queued = startQueue.remove(run) {
                    // Stopped before its turn to spawn: it never ran.
                    failToStart(queued, reason: reason)
                }
            case .record(let record):
                recordRun(record)
            }
        }
        drainStartQueue()
        rearmAlarm()
        publishStatusIfChanged()
        commitState()
    }

    /// Starts queued runs, at most `StartQueue.batchSize` per loop iteration; the rest continue on
    /// the next iteration, after the loop has reaped the runs that ended meanwhile.
    ///
    /// Why: every fork copies the daemon's descriptor table and every exec walks it to close the
    /// close-on-exec ones, so spawning 1,000 runs in one go, while the first ones' pipes and pidfds
    /// are still open, costs O(n²) in the kernel (measured: 5.4 s for a burst of 1,000 `/bin/true`).
    /// Interleaving keeps the table small.
    func drainStartQueue() {
        // The budget is shared by every drain in one loop iteration (finishing a run drains too), and
        // refilled by the continuation timer or once the queue is empty.
        while startQueue.budget > 0, let request = startQueue.popFirst() {
            startQueue.budget -= 1
            startRun(request)
        }
        if startQueue.isEmpty {
            startQueue.budget = StartQueue.batchSize
            return
        }
        guard !startQueue.isContinuationScheduled else { return }
        startQueue.isContinuationScheduled = true
        loop.scheduleTimer(after: .zero) { [unowned self] in
            startQueue.isContinuationScheduled = false
            startQueue.budget = StartQueue.batchSize
            drainStartQueue()
            rearmAlarm()
            publishStatusIfChanged()
        }
    }

    /// Starts one run, branching on the job kind: processes for `command` and `shell`, the HTTP
    /// check for `http`. A run that cannot start is reported as failed, never thrown.
    public func startRun(_ request: RunRequest) {
        guard phase != .stopping else {
            // The core may still hand out retries or queued firings while runs end during shutdown.
            logger.info("run_not_started", ["job": .string(request.jobID), "reason": "shutting down"])
            return
        }
        switch request.config.action {
        case .command(let arguments):
            startProcess(request, program: .arguments(arguments))
        case .shell(let command):
            startProcess(request, program: .shell(command))
        case .http(let check):
            startHTTPCheck(request, check: check)
        }
    }

    /// Makes a started run known: it can now be stopped by the core or at shutdown, and must be
    /// reported with `finishRun`. Logs `run_started` and tells observers.
    public func registerRun(_ handle: RunHandle) {
        activeRuns[handle.request.runID] = handle
        logger.runStarted(handle.request, pid: handle.processID, at: handle.started)
        for observer in observers { observer.daemon(self, didStart: handle.request, at: handle.started) }
    }

    /// A run ended (or never started): tells the core, performs what follows (records, retries,
    /// queued firings), and ends the loop when shutting down and nothing runs any more.
    public func finishRun(_ id: RunID, outcome: RunOutcome) {
        activeRuns[id] = nil
        perform(core.runFinished(id, outcome: outcome, now: WallClock.now()))
        if phase == .stopping && activeRuns.isEmpty {
            loop.stop()
        }
    }

    /// Reports a run that could not start, with `reason` as the record's reason.
    public func failToStart(_ request: RunRequest, reason: String) {
        // The `run_finished` line of the resulting record carries the reason; no separate line.
        finishRun(
            request.runID,
            outcome: RunOutcome(termination: .failedToStart(reason: reason), started: nil, finished: WallClock.now())
        )
    }

    /// Appends a finished, skipped or missed run to the history, logs it and tells observers.
    func recordRun(_ record: RunRecord) {
        let limit = historyLimits[record.job] ?? config.settings.history
        history.append(record, limit: limit)
        logger.recorded(record)
        for observer in observers { observer.daemon(self, didRecord: record) }
    }

    // MARK: - Processes

    /// Spawns the process of a `command` or `shell` job in its own process group.
    func startProcess(_ request: RunRequest, program: ProcessSpec.Program) {
        guard let spec = processSpec(for: request, program: program) else { return }
        let runID = request.runID
        let started = WallClock.now()
        let budget = OutputLogBudget(limit: request.config.logOutputLines)
        let process: RunningProcess
        do {
            process = try runner.start(
                spec,
                onOutputLine: { [unowned self] line in logOutput(line, of: request, budget: budget) },
                onExit: { [unowned self] outcome in
                    if budget.suppressed > 0 {
                        logger.jobOutputSuppressed(job: request.jobID, run: runID, lines: budget.suppressed)
                    }
                    finishRun(runID, outcome: Daemon.runOutcome(outcome, started: started, finished: WallClock.now()))
                }
            )
        } catch {
            failToStart(request, reason: error.description)
            return
        }
        registerRun(
            RunHandle(request: request, started: started, processID: process.pid) { [weak process] reason in
                process?.stop(reason: reason)
            }
        )
    }

    /// The process spec of a run of `request`'s job running `program`: the job's environment, user,
    /// working directory, timeout and kill grace. Nil, after reporting the run as failed to start,
    /// when the job's user or group cannot be used.
    func processSpec(for request: RunRequest, program: ProcessSpec.Program) -> ProcessSpec? {
        let job = request.config
        let account: UserAccount?
        let identity: ProcessIdentity?
        switch resolveIdentity(user: job.user, group: job.group) {
        case .success(let resolved): (account, identity) = resolved
        case .failure(let problem):
            failToStart(request, reason: problem.reason)
            return nil
        }
        return ProcessSpec(
            program: program,
            environment: JobEnvironment.build(for: request, account: account),
            workingDirectory: job.workingDirectory ?? account.map(\.homeDirectory).flatMap { $0.isEmpty ? nil : $0 },
            identity: identity,
            timeout: job.timeout,
            killGrace: job.killGrace
        )
    }

    /// The core's view of a process outcome.
    static func runOutcome(_ outcome: ProcessOutcome, started: Instant, finished: Instant) -> RunOutcome {
        let termination: RunOutcome.Termination
        if outcome.timedOut {
            termination = .timedOut(signal: outcome.signal?.rawValue)
        } else {
            switch outcome.status {
            case .exited(let code): termination = .exited(code: code)
            case .signaled(let signal): termination = .signaled(signal: signal.rawValue)
            }
        }
        return RunOutcome(
            termination: termination,
            started: started,
            finished: finished,
            outputTail: outcome.outputTail.isEmpty ? nil : outcome.outputTail
        )
    }

    /// One log line per line of job output, labelled with job and run, until the run's budget is spent.
    func logOutput(_ line: OutputLine, of request: RunRequest, budget: OutputLogBudget) {
        if budget.admit() {
            logger.jobOutput(job: request.jobID, run: request.runID, line: line)
        } else if budget.justExceeded {
            logger.jobOutputLimitReached(job: request.jobID, run: request.runID, limit: budget.limit)
        }
    }

    /// Why a job's identity cannot be used.
    struct IdentityProblem: Error {
        var reason: String
    }

    /// The account whose HOME/USER/SHELL the job gets and the identity to switch to (nil: stay the
    /// daemon's own), or why that is impossible.
    func resolveIdentity(user: String?, group: String?) -> Result<(UserAccount?, ProcessIdentity?), IdentityProblem> {
        if user == nil && group == nil { return .success((daemonAccount, nil)) }
        if let problem = identityProblem(user: user, group: group) { return .failure(IdentityProblem(reason: problem)) }
        if !isRoot { return .success((daemonAccount, nil)) }  // `user` names the daemon's own user
        var account = daemonAccount
        var identity = ProcessIdentity(userID: 0, groupID: 0, supplementaryGroups: [])
        if let user {
            do {
                guard let found = try UserAccount.named(user) else {
                    return .failure(IdentityProblem(reason: "no such user '\(user)'"))
                }
                account = found
                identity = found.identity()
            } catch {
                return .failure(IdentityProblem(reason: "cannot look up user '\(user)': \(error)"))
            }
        }
        if let group {
            do {
                guard let groupID = try GroupDatabase.groupID(named: group) else {
                    return .failure(IdentityProblem(reason: "no such group '\(group)'"))
                }
                identity.groupID = groupID
                if user == nil { identity.supplementaryGroups = [groupID] }
            } catch {
                return .failure(IdentityProblem(reason: "cannot look up group '\(group)': \(error)"))
            }
        }
        return .success((account, identity))
    }
}
