import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real `schedd` started in the background for one test: its stderr (the log) goes to a file the
/// test polls, and it is killed when the test forgets to stop it.
final class DaemonProcess {
    let process: Process
    let logPath: String
    let folder: TemporaryFolder

    /// Starts `schedd --config <folder>/schedules.toml` with a clean environment plus `environment`.
    init(folder: TemporaryFolder, config: String, environment: [String: String] = [:]) throws {
        self.folder = folder
        let configPath = try folder.write(DaemonProcess.withPrivateSocket(config, folder: folder), to: "schedules.toml")
        logPath = folder.path + "/schedd.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: try Binaries.path("schedd"))
        process.arguments = ["--config", configPath]
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": folder.path]
            .merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
    }

    /// `config` with the control socket and state inside `folder` (unless it sets them), so tests
    /// running side by side never share `/run/schedd/control.sock`.
    static func withPrivateSocket(_ config: String, folder: TemporaryFolder) -> String {
        var settings = ""
        if !config.contains("socket =") { settings += "socket = \"\(folder.path)/control.sock\"\n" }
        if !config.contains("state_dir =") { settings += "state_dir = \"\(folder.path)/state\"\n" }
        if config.contains("[scheduler]\n") {
            return config.replacingOccurrences(of: "[scheduler]\n", with: "[scheduler]\n" + settings)
        }
        return "[scheduler]\n" + settings + "\n" + config
    }

    /// Rewrites the config (for reload tests), keeping the private socket.
    @discardableResult
    func writeConfig(_ config: String) throws -> String {
        try folder.write(DaemonProcess.withPrivateSocket(config, folder: folder), to: "schedules.toml")
    }

    deinit {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// Everything logged so far.
    var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Log lines containing every one of `fragments`.
    func lines(containing fragments: String...) -> [String] {
        log.split(separator: "\n").map(String.init).filter { line in fragments.allSatisfy { line.contains($0) } }
    }

    /// Waits until `count` log lines contain all `fragments`; false after `timeout` seconds.
    @discardableResult
    func waitForLog(_ fragments: String..., count: Int = 1, timeout: Double = 10) -> Bool {
        waitUntil(timeout: timeout) {
            log.split(separator: "\n").filter { line in fragments.allSatisfy { line.contains($0) } }.count >= count
        }
    }

    func send(_ signal: Int32) {
        Glibc.kill(pid, signal)
    }

    /// Waits for the daemon to exit; its exit status, or nil when it is still running after `timeout`.
    func waitForExit(timeout: Double) -> Int32? {
        guard waitUntil(timeout: timeout, { !process.isRunning }) else { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Polls `condition` every 20 ms until it holds (true) or `timeout` seconds pass (false).
func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

/// Whether process `pid` is gone (or a zombie nobody reaped, which runs no code).
func processIsGone(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    // Field 3, after the parenthesised command name, is the state.
    guard let close = stat.lastIndex(of: ")") else { return true }
    let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
    return state == "Z" || state == "X"
}

/// An RFC 3339 UTC timestamp `seconds` from now (for `at` triggers).
func rfc3339(secondsFromNow seconds: Double) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    // Whole seconds, rounded up: truncating made "1 s from now" anywhere from 0 to 1 s away, and a
    // daemon starting slowly on a loaded machine then saw its `at` time already past.
    return formatter.string(from: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + seconds).rounded(.up)))
}

/// Runs the program at absolute `path` (a system tool such as sqlite3) and waits for it.
func runProgram(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self)
    )
}
