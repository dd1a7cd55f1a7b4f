public import SchedCore

/// Runs a job's `on_failure` command when a firing has failed for good (its last attempt failed or
/// timed out, or something other than the daemon killed it), through `FailureHookRunner`: with the job's environment, user and working directory,
/// plus the hook's `SCHEDD_RESULT` & co. Hooks are stopped when the daemon shuts down.
public final class DaemonFailureHooks: DaemonObserver {
    let runner: FailureHookRunner

    init(runner: FailureHookRunner) {
        self.runner = runner
    }

    public func daemon(_ daemon: Daemon, didRecord record: RunRecord) {
        // `endsFiringInFailure`: failed or timed out with no retry left, or killed by something other
        // than the daemon (the OOM killer, an operator's kill -9).
        guard let job = daemon.config.job(record.job), job.onFailure != nil,
            record.endsFiringInFailure(retry: job.retry)
        else { return }
        guard case .success(let (account, identity)) = daemon.resolveIdentity(user: job.user, group: job.group) else {
            // The job's own runs fail for the same reason, and say so.
            return
        }
        let environment = JobEnvironment.build(
            jobID: record.job,
            runID: record.runID,
            scheduled: record.scheduled,
            attempt: record.attempt,
            variables: job.environment,
            account: account
        )
        runner.runIfNeeded(
            for: record,
            job: job,
            environment: environment,
            identity: identity,
            workingDirectory: job.workingDirectory ?? account.map(\.homeDirectory).flatMap { $0.isEmpty ? nil : $0 }
        )
    }

    public func daemon(_ daemon: Daemon, didReload outcome: ReloadOutcome) {
        // A reload may change `log_format`; hook events follow it.
        runner.logger = daemon.logger
    }

    public func daemonWillStop(_ daemon: Daemon) {
        runner.stopAll()
    }
}
