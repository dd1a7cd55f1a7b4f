// Runner: starting job processes and watching them until they are gone.
//
// Design note
// - Start: the C launcher forks and execs in a new session (setsid), so each job leads its own process
//   group and `kill(-pgid)` reaches its children and grandchildren. The child gets an empty signal mask,
//   default dispositions, stdin `/dev/null`, stdout/stderr pipes, and exactly the given environment.
//   `start` returns once `execve` succeeded or throws `SpawnError` with the failing step and errno.
// - Watch: everything runs on the `EventLoop` thread. Output pipes are non-blocking and read as they
//   become readable; lines go to a callback immediately, the newest `outputTailLimit` bytes go to a ring
//   buffer, so memory is bounded however much a job writes. Exit is learnt from a pidfd (readable when the
//   process exits, then `waitpid(pid, WNOHANG)`); without pidfd (kernels before 5.3) the daemon forwards
//   SIGCHLD to `reapExitedChildren()`. The daemon should forward every SIGCHLD there in any case: it is
//   cheap, and it covers a run whose pidfd could not be opened (EMFILE).
// - Stop: `stop(reason:)` or the timeout sends SIGTERM to the group and arms a kill-grace timer that sends
//   SIGKILL to the group. If the main process exits first, the rest of its group is killed right away: it
//   has had its SIGTERM, and once the leader is reaped its process-group id may be reused.
// - Finish: the outcome is reported once the exit status is known and both pipes reached EOF (or the
//   drain timeout passed, when a background process keeps them open).

/// Starts job processes on an `EventLoop` and reports their outcomes.
///
/// Not `Sendable`: use it on the loop's thread only.
public final class ProcessRunner {
    /// How exits are detected.
    public enum ExitDetection: Sendable, Equatable {
        /// A pidfd per process (Linux 5.3+): no SIGCHLD handling needed.
        case pidDescriptor
        /// The daemon must call `reapExitedChildren()` on every SIGCHLD.
        case childSignal
    }

    let loop: EventLoop
    /// Exit detection in use; switches to `.childSignal` when `pidfd_open` reports ENOSYS.
    public private(set) var exitDetection: ExitDetection
    /// Runs not yet reported, by pid.
    private var running: [ProcessID: RunningProcess] = [:]
    /// In `.pidDescriptor` mode, the runs whose pidfd could not be opened (EMFILE): the only ones
    /// `reapExitedChildren` needs to poll, so a SIGCHLD costs O(those), not O(every run).
    private var watchedBySignal: Set<ProcessID> = []
    /// One read buffer shared by all runs (single-threaded), so reads do not allocate.
    let readBuffer: UnsafeMutableRawBufferPointer

    /// - Parameter exitDetection: `.childSignal` forces the SIGCHLD fallback (tests, old kernels).
    public init(loop: EventLoop, exitDetection: ExitDetection = .pidDescriptor) {
        self.loop = loop
        self.exitDetection = exitDetection
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Processes started and not yet reported.
    public var runningCount: Int { running.count }

    /// Starts `spec`; returns its handle once the program is executing.
    ///
    /// - Parameters:
    ///   - onOutputLine: each complete line of stdout or stderr, on the loop thread, as it arrives.
    ///   - onExit: the outcome, exactly once, after exit and output drain.
    /// - Throws: `SpawnError` when the program could not be executed (nothing keeps running then).
    public func start(
        _ spec: ProcessSpec,
        onOutputLine: @escaping (OutputLine) -> Void,
        onExit: @escaping (ProcessOutcome) -> Void
    ) throws(SpawnError) -> RunningProcess {
        let process = try RunningProcess.launch(spec, runner: self, onOutputLine: onOutputLine, onExit: onExit)
        running[process.pid] = process
        if exitDetection == .pidDescriptor {
            do {
                try process.watchExitWithPidDescriptor()
            } catch .notImplemented {
                // Kernel before 5.3: rely on SIGCHLD for every run from now on.
                exitDetection = .childSignal
            } catch {
                // EMFILE and the like: this run alone depends on SIGCHLD (`reapExitedChildren`).
                watchedBySignal.insert(process.pid)
            }
        }
        if exitDetection == .childSignal {
            // The child may have exited before anyone watched; SIGCHLD for it may already be gone.
            process.pollExit()
        }
        return process
    }

    /// Reaps every finished child this runner started that has no pidfd watching it (all of them in
    /// `.childSignal` mode). Call on every SIGCHLD. Only this runner's pids are waited for, never `waitpid(-1)`, so other children of the
    /// process are left alone.
    public func reapExitedChildren() {
        if exitDetection == .childSignal {
            for process in Array(running.values) {
                process.pollExit()
            }
        } else {
            for pid in Array(watchedBySignal) {
                running[pid]?.pollExit()
            }
        }
    }

    /// Stops every running process (shutdown): SIGTERM to each group, SIGKILL after each one's kill grace.
    public func stopAll(reason: String) {
        for process in Array(running.values) {
            process.stop(reason: reason)
        }
    }

    /// Called by a process when its outcome has been reported.
    func processFinished(_ pid: ProcessID) {
        running[pid] = nil
        watchedBySignal.remove(pid)
    }
}
