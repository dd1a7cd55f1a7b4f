/// A started job process: its handle for stopping it, and the state the runner tracks until it is gone.
///
/// Not `Sendable`: lives on the event loop's thread. The runner keeps it alive until the outcome is
/// reported; callers may drop their reference at any time.
public final class RunningProcess {
    /// The process id, which is also its process-group id (the launcher calls `setsid`).
    public let pid: ProcessID
    /// When it was started (just before fork).
    public let startedAt: MonotonicInstant

    /// Strong on purpose: the runner's table and this reference form a cycle that lasts exactly until
    /// the outcome is reported (`processFinished` removes the entry).
    private let runner: ProcessRunner
    private let spec: ProcessSpec
    private let onOutputLine: (OutputLine) -> Void
    private let onExit: (ProcessOutcome) -> Void

    private var streams: [OutputPipe]
    private var tail: OutputTail
    private var pidRegistration: EventLoop.Registration?
    private var pidDescriptor: FileDescriptor?
    private var timeoutTimer: EventLoop.TimerID?
    private var killTimer: EventLoop.TimerID?
    private var drainTimer: EventLoop.TimerID?

    private var exitStatus: TerminationStatus?
    private var exitedAt: MonotonicInstant?
    private var timedOut = false
    private var stopReason: String?
    private var stopRequested = false
    private var finished = false

    // MARK: - Starting

    /// Forks and execs `spec`, then wires its pipes and timeout into the runner's loop.
    static func launch(
        _ spec: ProcessSpec,
        runner: ProcessRunner,
        onOutputLine: @escaping (OutputLine) -> Void,
        onExit: @escaping (ProcessOutcome) -> Void
    ) throws(SpawnError) -> RunningProcess {
        let argv = spec.program.argv
        guard let program = argv.first, !program.isEmpty else {
            throw SpawnError(code: .emptyCommand, program: "", underlying: nil)
        }
        func setupError(_ step: String, _ error: Errno) -> SpawnError {
            SpawnError(code: .setup, program: program, underlying: error, detail: step)
        }

        // 1. Descriptors for the child: stdin (/dev/null, or a pipe already holding `standardInput`) and two
        //    output pipes, all close-on-exec. The read ends become non-blocking; the child's ends stay
        //    blocking, as programs expect of their stdio.
        let devNull: FileDescriptor
        do {
            if let input = spec.standardInput {
                devNull = try FileDescriptor.pipeHolding(input)
            } else {
                devNull = try FileDescriptor.openForReading("/dev/null")
            }
        } catch {
            throw setupError(spec.standardInput == nil ? "opening /dev/null" : "creating the stdin pipe", error)
        }
        defer { devNull.close() }
        var opened: [(read: FileDescriptor, write: FileDescriptor)] = []
        do {
            for _ in 0..<2 {
                let pipe = try FileDescriptor.makePipe()
                opened.append(pipe)
                try pipe.read.setNonBlocking()
            }
        } catch {
            for pipe in opened {
                pipe.read.close()
                pipe.write.close()
            }
            throw setupError("creating output pipes", error)
        }

        // 2. Launch; afterwards the parent closes its copies of the child's ends at once, so EOF on the
        //    read ends means every process holding them has gone.
        let startedAt = MonotonicInstant.now()
        let request = LaunchRequest(
            candidates: Launcher.executableCandidates(for: program, environment: spec.environment),
            arguments: argv,
            environment: spec.environment,
            workingDirectory: spec.workingDirectory,
            standardInput: devNull,
            standardOutput: opened[0].write,
            standardError: opened[1].write,
            identity: spec.identity
        )
        let launched = Result { () throws(LaunchFailure) in try Launcher.launch(request) }
        opened[0].write.close()
        opened[1].write.close()
        let pid: ProcessID
        switch launched {
        case .success(let value):
            pid = value
        case .failure(let failure):
            opened[0].read.close()
            opened[1].read.close()
            throw SpawnError(failure, program: program, spec: spec)
        }

        // 3. Watch output and arm the timeout.
        let process = RunningProcess(
            pid: pid,
            startedAt: startedAt,
            runner: runner,
            spec: spec,
            streams: [
                OutputPipe(descriptor: opened[0].read, stream: .standardOutput, maxLineLength: spec.maxLineLength),
                OutputPipe(descriptor: opened[1].read, stream: .standardError, maxLineLength: spec.maxLineLength),
            ],
            onOutputLine: onOutputLine,
            onExit: onExit
        )
        process.watchOutput()
        if let timeout = spec.timeout {
            process.timeoutTimer = runner.loop.scheduleTimer(after: timeout) { [weak process] in
                guard let process, !process.stopRequested else { return }
                process.timedOut = true
                process.stop(reason: "timeout")
            }
        }
        return process
    }

    private init(
        pid: ProcessID,
        startedAt: MonotonicInstant,
        runner: ProcessRunner,
        spec: ProcessSpec,
        streams: [OutputPipe],
        onOutputLine: @escaping (OutputLine) -> Void,
        onExit: @escaping (ProcessOutcome) -> Void
    ) {
        self.pid = pid
        self.startedAt = startedAt
        self.runner = runner
        self.spec = spec
        self.streams = streams
        self.tail = OutputTail(capacity: spec.outputTailLimit)
        self.onOutputLine = onOutputLine
        self.onExit = onExit
    }

    // MARK: - Stopping

    /// True until the exit has been observed.
    public var isRunning: Bool { exitStatus == nil }

    /// Stops the job: SIGTERM to its whole process group now, SIGKILL to the group after `killGrace`.
    /// Only the first call counts (its reason is reported); a no-op once the process has exited.
    public func stop(reason: String) {
        guard exitStatus == nil, !stopRequested else { return }
        stopRequested = true
        stopReason = reason
        // ESRCH: the group is already gone; the exit will be observed shortly.
        try? ProcessControl.signalGroup(pid, .terminate)
        killTimer = runner.loop.scheduleTimer(after: spec.killGrace) { [weak self] in
            guard let self else { return }
            self.killTimer = nil
            try? ProcessControl.signalGroup(self.pid, .kill)
        }
    }

    // MARK: - Exit detection

    /// Registers a pidfd that becomes readable when the process exits.
    func watchExitWithPidDescriptor() throws(Errno) {
        let descriptor = try ProcessControl.openPidDescriptor(pid)
        do {
            pidRegistration = try runner.loop.register(descriptor) { [weak self] in
                self?.pollExit()
            }
            pidDescriptor = descriptor
        } catch {
            descriptor.close()
            throw error
        }
    }

    /// Reaps the process if it has exited (`waitpid(pid, WNOHANG)`).
    func pollExit() {
        guard exitStatus == nil else { return }
        let status: TerminationStatus?
        do {
            status = try ProcessControl.reapIfExited(pid)
        } catch {
            // ECHILD: someone else reaped it (SIGCHLD set to SIG_IGN, or a stray waitpid(-1)) and the real
            // status is lost. Report exit code 255 rather than wait forever for an exit already gone.
            status = .exited(code: 255)
        }
        guard let status else { return }
        processExited(status)
    }

    private func processExited(_ status: TerminationStatus) {
        exitStatus = status
        exitedAt = MonotonicInstant.now()
        if let pidRegistration { runner.loop.unregister(pidRegistration) }
        pidDescriptor?.close()
        pidRegistration = nil
        pidDescriptor = nil
        if let timeoutTimer { runner.loop.cancelTimer(timeoutTimer) }
        timeoutTimer = nil
        if stopRequested {
            // The leader is gone after its SIGTERM: finish the rest of the group now (see design note).
            try? ProcessControl.signalGroup(pid, .kill)
        }
        if let killTimer { runner.loop.cancelTimer(killTimer) }
        killTimer = nil
        if streams.contains(where: { $0.isOpen }) {
            drainTimer = runner.loop.scheduleTimer(after: spec.outputDrainTimeout) { [weak self] in
                guard let self else { return }
                self.drainTimer = nil
                for index in self.streams.indices where self.streams[index].isOpen {
                    self.closeStream(index)
                }
                self.finishIfDone()
            }
        }
        finishIfDone()
    }

    // MARK: - Output

    private func watchOutput() {
        for index in streams.indices {
            let registration = try? runner.loop.register(streams[index].descriptor) { [weak self] in
                self?.readAvailable(index)
            }
            if let registration {
                streams[index].registration = registration
            } else {
                // Cannot watch it (epoll limit): close so the job gets EPIPE instead of blocking forever.
                closeStream(index)
            }
        }
    }

    /// Reads what is available on stream `index`, at most a few buffers per wake-up so one chatty job
    /// cannot starve the loop; level-triggered epoll calls again for the rest.
    private func readAvailable(_ index: Int) {
        let buffer = runner.readBuffer
        for _ in 0..<4 {
            guard streams[index].isOpen else { return }
            let count: Int
            do {
                count = try streams[index].descriptor.read(into: buffer)
            } catch .wouldBlock {
                return
            } catch {
                closeStream(index)
                finishIfDone()
                return
            }
            if count == 0 {
                closeStream(index)
                finishIfDone()
                return
            }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            tail.append(chunk)
            streams[index].splitter.append(chunk, emit: onOutputLine)
        }
    }

    private func closeStream(_ index: Int) {
        guard streams[index].isOpen else { return }
        if let registration = streams[index].registration { runner.loop.unregister(registration) }
        streams[index].descriptor.close()
        streams[index].isOpen = false
        streams[index].splitter.finish(emit: onOutputLine)
    }

    // MARK: - Finishing

    private func finishIfDone() {
        guard !finished, let exitStatus, let exitedAt, !streams.contains(where: { $0.isOpen }) else { return }
        finished = true
        if let drainTimer { runner.loop.cancelTimer(drainTimer) }
        drainTimer = nil
        let outcome = ProcessOutcome(
            pid: pid,
            status: exitStatus,
            timedOut: timedOut,
            stopReason: stopReason,
            duration: exitedAt - startedAt,
            outputTail: tail.text,
            totalOutputBytes: tail.totalBytes,
            isOutputTailTruncated: tail.isTruncated
        )
        runner.processFinished(pid)
        onExit(outcome)
    }

    /// Bytes the output tail holds in memory (for tests of the memory bound).
    var outputTailStorageBytes: Int { tail.storageBytes }
}

/// One output pipe of a running process.
private struct OutputPipe {
    let descriptor: FileDescriptor
    var splitter: LineSplitter
    var registration: EventLoop.Registration?
    var isOpen = true

    init(descriptor: FileDescriptor, stream: OutputStream, maxLineLength: Int) {
        self.descriptor = descriptor
        self.splitter = LineSplitter(stream: stream, maxLineLength: maxLineLength)
    }
}

extension SpawnError {
    /// The message for a launcher failure: which step failed, in the user's terms.
    init(_ failure: LaunchFailure, program: String, spec: ProcessSpec) {
        switch failure.step {
        case .exec:
            self.init(code: .executable, program: program, underlying: failure.errno)
        case .chdir:
            self.init(
                code: .workingDirectory,
                program: program,
                underlying: failure.errno,
                detail: spec.workingDirectory ?? ""
            )
        case .setgroups, .setgid, .setuid:
            let identity = spec.identity.map { "uid \($0.userID) gid \($0.groupID)" } ?? "another user"
            self.init(
                code: .identity,
                program: program,
                underlying: failure.errno,
                detail: "\(identity) (\(failure.step))"
            )
        case .fork, .signals, .setsid, .stdio, .statusPipe:
            self.init(code: .setup, program: program, underlying: failure.errno, detail: "\(failure.step)")
        }
    }
}
