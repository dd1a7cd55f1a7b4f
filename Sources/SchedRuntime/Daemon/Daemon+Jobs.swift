public import SchedCore
import SchedTime

// MARK: - Job commands (the control socket's entry points)

extension Daemon {
    /// Starts a run of `jobID` now (`schedctl run-now`); the run id is known at once, its record
    /// arrives through `DaemonObserver.daemon(_:didRecord:)`.
    public func runNow(jobID: String, force: Bool = false) throws(SchedulerError) -> RunID {
        let (runID, actions) = try core.runNow(jobID: jobID, force: force, now: WallClock.now())
        perform(actions)
        return runID
    }

    /// Pauses `jobID` (`schedctl pause`).
    public func pause(jobID: String) throws(SchedulerError) {
        perform(try core.pause(jobID: jobID, now: WallClock.now()))
        logger.notice("job_paused", ["job": .string(jobID)])
    }

    /// Resumes `jobID` (`schedctl resume`).
    public func resume(jobID: String) throws(SchedulerError) {
        perform(try core.resume(jobID: jobID, now: WallClock.now()))
        logger.notice("job_resumed", ["job": .string(jobID)])
    }
}
