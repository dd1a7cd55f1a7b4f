import Glibc
import Testing

@testable import SchedRuntime

@Suite("ProcessRunner", .hangGuard)
struct ProcessRunnerTests {
    // MARK: - Output and exit

    @Test("runs /bin/echo and captures its line and tail")
    func echo() throws {
        let run = try runToCompletion(
            ProcessSpec(program: .arguments(["/bin/echo", "hello", "world"]), environment: testEnvironment)
        )
        #expect(run.lines == [OutputLine(stream: .standardOutput, text: "hello world", isTruncated: false)])
        #expect(run.outcome.status == .exited(code: 0))
        #expect(run.outcome.outputTail == "hello world\n")
        #expect(run.outcome.totalOutputBytes == 12)
        #expect(!run.outcome.isOutputTailTruncated)
        #expect(run.outcome.duration > .zero)
    }

    @Test("separates stdout and stderr lines and keeps both in the tail")
    func stderr() throws {
        let run = try runToCompletion(
            ProcessSpec(program: .shell("echo out; echo err >&2"), environment: testEnvironment)
        )
        #expect(run.lines.contains(OutputLine(stream: .standardOutput, text: "out", isTruncated: false)))
        #expect(run.lines.contains(OutputLine(stream: .standardError, text: "err", isTruncated: false)))
        #expect(run.outcome.outputTail.contains("out\n"))
        #expect(run.outcome.outputTail.contains("err\n"))
    }

    @Test("reports the final line without a newline")
    func finalLine() throws {
        let run = try runToCompletion(ProcessSpec(program: .shell("printf 'a\\nb'"), environment: testEnvironment))
        #expect(run.stdoutLines == ["a", "b"])
    }

    @Test(
        "reports exit codes and signals",
        arguments: [
            ("exit 0", TerminationStatus.exited(code: 0)),
            ("exit 3", .exited(code: 3)),
            ("exit 255", .exited(code: 255)),
            ("kill -TERM $$", .signaled(.terminate)),
            ("kill -KILL $$", .signaled(.kill)),
        ]
    )
    func exitStatus(command: String, expected: TerminationStatus) throws {
        let run = try runToCompletion(ProcessSpec(program: .shell(command), environment: testEnvironment))
        #expect(run.outcome.status == expected)
        #expect(!run.outcome.timedOut)
    }

    @Test("detects exits through the SIGCHLD fallback when pidfd is not used")
    func childSignalFallback() throws {
        let run = try runToCompletion(
            ProcessSpec(program: .shell("echo fallback; exit 7"), environment: testEnvironment),
            exitDetection: .childSignal
        )
        #expect(run.outcome.status == .exited(code: 7))
        #expect(run.stdoutLines == ["fallback"])
    }

    // MARK: - Start failures

    @Test("a missing binary is a clean start failure")
    func missingBinary() throws {
        let loop = try EventLoop()
        let runner = ProcessRunner(loop: loop)
        let spec = ProcessSpec(program: .arguments(["/nope"]), environment: testEnvironment)
        let error = #expect(throws: SpawnError.self) {
            try runner.start(spec, onOutputLine: { _ in }, onExit: { _ in })
        }
        #expect(error?.code == .executable)
        #expect(error?.underlying == .noSuchFileOrDirectory)
        #expect(error?.description == "cannot start '/nope': No such file or directory")
        #expect(runner.runningCount == 0)
    }

    @Test("a program not on the job's PATH is a clean start failure")
    func notOnPath() throws {
        let loop = try EventLoop()
        let runner = ProcessRunner(loop: loop)
        // `ls` exists in /bin, but the job's PATH does not include it.
        let spec = ProcessSpec(program: .arguments(["ls"]), environment: ["PATH=/nonexistent-schedd-dir"])
        let error = #expect(throws: SpawnError.self) {
            try runner.start(spec, onOutputLine: { _ in }, onExit: { _ in })
        }
        #expect(error?.description == "cannot start 'ls': No such file or directory")
    }

    @Test("a program found on the job's PATH runs")
    func searchesPath() throws {
        let run = try runToCompletion(
            ProcessSpec(program: .arguments(["echo", "found"]), environment: testEnvironment)
        )
        #expect(run.stdoutLines == ["found"])
    }

    @Test("a file that is not executable gives permission denied")
    func notExecutable() throws {
        let loop = try EventLoop()
        let runner = ProcessRunner(loop: loop)
        let spec = ProcessSpec(program: .arguments(["/etc/passwd"]), environment: testEnvironment)
        let error = #expect(throws: SpawnError.self) {
            try runner.start(spec, onOutputLine: { _ in }, onExit: { _ in })
        }
        #expect(error?.underlying == .permissionDenied)
    }

    @Test("a bad working directory is a clean start failure")
    func badWorkingDirectory() throws {
        let loop = try EventLoop()
        let runner = ProcessRunner(loop: loop)
        let spec = ProcessSpec(
            program: .arguments(["/bin/true"]),
            environment: testEnvironment,
            workingDirectory: "/nonexistent-schedd-dir"
        )
        let error = #expect(throws: SpawnError.self) {
            try runner.start(spec, onOutputLine: { _ in }, onExit: { _ in })
        }
        #expect(error?.code == .workingDirectory)
        #expect(
            error?.description
                == "cannot change to working directory '/nonexistent-schedd-dir': No such file or directory"
        )
    }

    @Test("an empty command is rejected")
    func emptyCommand() throws {
        let loop = try EventLoop()
        let runner = ProcessRunner(loop: loop)
        let error = #expect(throws: SpawnError.self) {
            try runner.start(
                ProcessSpec(program: .arguments([]), environment: []),
                onOutputLine: { _ in },
                onExit: { _ in }
            )
        }
        #expect(error?.code == .emptyCommand)
    }

    @Test("the working directory is applied")
    func workingDirectory() throws {
        let run = try runToCompletion(
            ProcessSpec(program: .arguments(["/bin/pwd"]), environment: testEnvironment, workingDirectory: "/tmp")
        )
        #expect(run.stdoutLines == ["/tmp"])
    }

    // MARK: - Child environment

    @Test("the environment is exactly what was passed")
    func exactEnvironment() throws {
        let environment = ["A=1", "B=two words", "EMPTY="]
        let run = try runToCompletion(ProcessSpec(program: .arguments(["/usr/bin/env"]), environment: environment))
        #expect(run.stdoutLines == environment)
    }

    @Test("stdin is /dev/null")
    func stdinIsDevNull() throws {
        let run = try runToCompletion(
            ProcessSpec(program: .shell("readlink /proc/self/fd/0; cat; echo done"), environment: testEnvironment)
        )
        #expect(run.stdoutLines == ["/dev/null", "done"])
    }

    @Test("the child has an empty signal mask and default dispositions even if the parent blocked signals")
    func emptySignalMask() throws {
        // Block signals in this thread only (the launcher forks from the calling thread, whose mask the
        // child inherits); restored before returning so other tests are unaffected.
        var blocked = sigset_t()
        var saved = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        sigaddset(&blocked, SIGUSR1)
        sigaddset(&blocked, SIGCHLD)
        pthread_sigmask(SIG_BLOCK, &blocked, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }

        let run = try runToCompletion(
            ProcessSpec(
                program: .arguments(["/bin/grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"]),
                environment: []
            )
        )
        #expect(run.stdoutLines == ["SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"])
    }

    @Test("the child does not inherit unrelated descriptors, even ones without O_CLOEXEC")
    func noInheritedDescriptors() throws {
        let marker = open("/dev/null", O_RDONLY)  // deliberately not close-on-exec
        try #require(marker >= 0)
        defer { close(marker) }
        let run = try runToCompletion(ProcessSpec(program: .arguments(["/bin/ls", "/proc/self/fd"]), environment: []))
        // 0-2 are stdio; 3 is the directory ls itself opened to list /proc/self/fd.
        #expect(run.stdoutLines == ["0", "1", "2", "3"])
    }

    @Test("each job leads its own process group and session")
    func ownProcessGroup() throws {
        let run = try runToCompletion(
            ProcessSpec(
                program: .shell("echo $$; ps -o pgid=,sid= -p $$ 2>/dev/null || cut -d' ' -f5,6 /proc/$$/stat"),
                environment: testEnvironment
            )
        )
        let pid = try #require(run.stdoutLines.first)
        let ids = try #require(run.stdoutLines.dropFirst().first).split(separator: " ").map(String.init)
        #expect(ids == [pid, pid])
        #expect(pid == "\(run.outcome.pid.rawValue)")
    }

    // MARK: - Timeout and stop

    @Test("a timeout kills the whole process group, grandchildren included")
    func timeoutKillsGroup() throws {
        let spec = ProcessSpec(
            program: .shell("sleep 300 & echo $!; wait"),
            environment: testEnvironment,
            timeout: .milliseconds(300),
            killGrace: .seconds(5)
        )
        let run = try runToCompletion(spec)
        #expect(run.outcome.timedOut)
        #expect(run.outcome.stopReason == "timeout")
        #expect(run.outcome.status == .signaled(.terminate))
        let grandchild = try #require(run.stdoutLines.first.flatMap { Int32($0) })
        #expect(processIsGone(grandchild, within: .seconds(2)))
        #expect(run.outcome.duration >= .milliseconds(300))
        #expect(run.outcome.duration < .seconds(5))
    }

    @Test("stop sends SIGTERM, then SIGKILL after the grace period to a job ignoring SIGTERM")
    func stopEscalatesToKill() throws {
        let spec = ProcessSpec(
            program: .shell("trap '' TERM; echo ready; while :; do sleep 0.05; done"),
            environment: testEnvironment,
            killGrace: .milliseconds(200)
        )
        let run = try runToCompletion(spec) { line, process in
            if line.text == "ready" { process.stop(reason: "shutdown") }
        }
        #expect(run.outcome.status == .signaled(.kill))
        #expect(run.outcome.stopReason == "shutdown")
        #expect(!run.outcome.timedOut)
        #expect(run.outcome.duration >= .milliseconds(200))
    }

    @Test("output of a background process that outlives the job is drained for a bounded time")
    func drainTimeout() throws {
        let spec = ProcessSpec(
            program: .shell("(sleep 2; echo late) & echo early"),
            environment: testEnvironment,
            outputDrainTimeout: .milliseconds(100)
        )
        let run = try runToCompletion(spec)
        #expect(run.outcome.status == .exited(code: 0))
        #expect(run.stdoutLines == ["early"])
    }

    // MARK: - Output bounds

    @Test("a flood keeps only the last 64 KiB, with bounded memory")
    func flood() throws {
        let filler = String(repeating: "x", count: 999)
        let spec = ProcessSpec(program: .shell("yes \(filler) | head -c 50000000"), environment: testEnvironment)
        var lineCount = 0
        var largestTailStorage = 0
        let run = try runToCompletion(spec) { _, process in
            lineCount += 1
            largestTailStorage = max(largestTailStorage, process.outputTailStorageBytes)
        }
        #expect(run.outcome.totalOutputBytes == 50_000_000)
        #expect(run.outcome.outputTail.utf8.count == 64 * 1024)
        #expect(run.outcome.isOutputTailTruncated)
        #expect(largestTailStorage == 64 * 1024)
        #expect(lineCount == 50_000)
        // The tail ends with the end of the stream: 50_000_000 is a multiple of 1000.
        #expect(run.outcome.outputTail.hasSuffix("x\n"))
    }

    @Test("long lines are cut at the limit and marked")
    func longLinesCut() throws {
        let spec = ProcessSpec(
            program: .shell("head -c 10000 /dev/zero | tr '\\0' x; echo; echo short"),
            environment: testEnvironment
        )
        let run = try runToCompletion(spec)
        #expect(run.lines.count == 2)
        #expect(run.lines.first?.text == String(repeating: "x", count: 4096))
        #expect(run.lines.first?.isTruncated == true)
        #expect(run.lines.last == OutputLine(stream: .standardOutput, text: "short", isTruncated: false))
    }
}
