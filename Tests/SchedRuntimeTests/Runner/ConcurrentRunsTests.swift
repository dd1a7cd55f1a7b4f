import Testing

@testable import SchedRuntime

@Suite("ProcessRunner with many runs", .hangGuard)
struct ConcurrentRunsTests {
    @Test("many processes run side by side on one loop, each reported once with its own output")
    func manyRuns() throws {
        let loop = try EventLoop()
        let runner = ProcessRunner(loop: loop)
        var linesByPid: [ProcessID: [String]] = [:]
        var outcomes: [ProcessID: ProcessOutcome] = [:]
        var expected: [ProcessID: String] = [:]
        for index in 0..<20 {
            let process = try runner.start(
                ProcessSpec(program: .shell("echo job-\(index); exit \(index)"), environment: testEnvironment),
                onOutputLine: { _ in },
                onExit: { [unowned loop] outcome in
                    #expect(outcomes[outcome.pid] == nil, "reported twice")
                    outcomes[outcome.pid] = outcome
                    if outcomes.count == 20 { loop.stop() }
                }
            )
            expected[process.pid] = "job-\(index)"
            linesByPid[process.pid] = []
        }
        #expect(runner.runningCount == 20)
        loop.scheduleTimer(after: .seconds(30)) { [unowned loop] in loop.stop() }
        try loop.run()
        #expect(outcomes.count == 20)
        #expect(runner.runningCount == 0)
        for (pid, outcome) in outcomes {
            let name = try #require(expected[pid])
            #expect(outcome.outputTail == name + "\n")
            #expect(outcome.exitCode.map { "job-\($0)" } == name)
        }
    }

    @Test("stopAll stops every running job with the given reason")
    func stopAll() throws {
        let loop = try EventLoop()
        let runner = ProcessRunner(loop: loop)
        var outcomes: [ProcessOutcome] = []
        for _ in 0..<3 {
            _ = try runner.start(
                ProcessSpec(program: .arguments(["/bin/sleep", "300"]), environment: testEnvironment),
                onOutputLine: { _ in },
                onExit: { [unowned loop] outcome in
                    outcomes.append(outcome)
                    if outcomes.count == 3 { loop.stop() }
                }
            )
        }
        loop.scheduleTimer(after: .milliseconds(50)) { runner.stopAll(reason: "shutdown") }
        loop.scheduleTimer(after: .seconds(30)) { [unowned loop] in loop.stop() }
        try loop.run()
        #expect(outcomes.count == 3)
        #expect(outcomes.allSatisfy { $0.status == .signaled(.terminate) && $0.stopReason == "shutdown" })
    }
}
