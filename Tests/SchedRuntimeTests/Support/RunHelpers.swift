import Glibc
import SchedTime
import Testing

@testable import SchedRuntime

/// What one run produced: its outcome and every line the callback saw.
struct CompletedRun {
    var outcome: ProcessOutcome
    var lines: [OutputLine]

    var stdoutLines: [String] { lines.filter { $0.stream == .standardOutput }.map(\.text) }
}

/// A minimal environment for test jobs.
let testEnvironment = ["PATH=/usr/bin:/bin"]

/// Starts `spec` on a fresh loop and runs the loop until the outcome arrives (or a 30 s safety stop).
///
/// - Parameter onStart: called with the handle right after start (to stop it, or inspect it).
/// - Parameter onLine: called for each line with the handle (after it is recorded).
func runToCompletion(
    _ spec: ProcessSpec,
    exitDetection: ProcessRunner.ExitDetection = .pidDescriptor,
    onLine: @escaping (OutputLine, RunningProcess) -> Void = { _, _ in }
) throws -> CompletedRun {
    let loop = try EventLoop()
    let runner = ProcessRunner(loop: loop, exitDetection: exitDetection)
    var lines: [OutputLine] = []
    var outcome: ProcessOutcome?
    var handle: RunningProcess?
    handle = try runner.start(
        spec,
        onOutputLine: { line in
            lines.append(line)
            if let handle { onLine(line, handle) }
        },
        onExit: { [unowned loop] result in
            outcome = result
            loop.stop()
        }
    )
    if exitDetection == .childSignal {
        // Stand-in for the daemon's SIGCHLD: poll every 10 ms (tests must not change the signal mask).
        func poll() {
            runner.reapExitedChildren()
            loop.scheduleTimer(after: .milliseconds(10)) { poll() }
        }
        poll()
    }
    let safety = loop.scheduleTimer(after: .seconds(30)) { [unowned loop] in loop.stop() }
    try loop.run()
    loop.cancelTimer(safety)
    _ = handle
    let result = try #require(outcome, "the run did not finish within 30 s")
    return CompletedRun(outcome: result, lines: lines)
}

/// True when `pid` no longer exists or is a zombie (dead, waiting for its new parent to reap it).
func processIsGone(_ pid: Int32) -> Bool {
    guard let stat = try? readSmallFile("/proc/\(pid)/stat") else { return true }
    // Format: pid (comm) state ... ; comm may contain spaces, so look after the last ')'.
    guard let close = stat.lastIndex(of: ")") else { return true }
    let state = stat[stat.index(after: close)...].trimmingPrefix(" ").first
    return state == "Z" || state == "X"
}

/// Polls `processIsGone` for up to `limit`: a killed process closes its descriptors (our pipe EOF) a moment
/// before it becomes a zombie.
func processIsGone(_ pid: Int32, within limit: Duration) -> Bool {
    let deadline = MonotonicInstant.now() + limit
    while !processIsGone(pid) {
        if MonotonicInstant.now() > deadline { return false }
        usleep(5_000)
    }
    return true
}

/// Reads a small text file (procfs) with plain syscalls.
func readSmallFile(_ path: String) throws -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw Errno.current }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n <= 0 { break }
        bytes.append(contentsOf: buffer[..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}
