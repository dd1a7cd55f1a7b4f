import SchedTime

#if canImport(Glibc)
    import Glibc
#endif

/// A real `schedd` process for the daemon benchmark: config and log in a fresh temporary folder,
/// figures read from `/proc/PID`.
final class DaemonUnderTest {
    let pid: pid_t
    let folder: String
    let logPath: String

    /// Writes `config` and starts `binary --config <folder>/schedules.toml`, stderr to a log file.
    init(binary: String, config: String) {
        var template = Array("/tmp/schedbench-daemon-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed: errno \(errno)")
        folder = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        logPath = folder + "/schedd.log"
        let configPath = folder + "/schedules.toml"
        // A private state folder and socket: the defaults (/var/lib/schedd as root) would carry the
        // state of every earlier run, up to 10,000s of retained jobs, into this one's memory figures.
        let privatePaths = "state_dir = \"\(folder)/state\"\nsocket = \"\(folder)/control.sock\"\n"
        let scheduler = "[scheduler]\n"
        DaemonUnderTest.writeFile(
            configPath,
            config.hasPrefix(scheduler)
                ? scheduler + privatePaths + config.dropFirst(scheduler.count) : scheduler + privatePaths + config
        )

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = [binary, "--config", configPath]
        let environment = ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=\(folder)"]
        var child: pid_t = 0
        let status = withCStrings(argv) { argvPointer in
            withCStrings(environment) { environmentPointer in
                posix_spawn(&child, binary, &actions, nil, argvPointer, environmentPointer)
            }
        }
        precondition(status == 0, "cannot start \(binary): \(String(cString: strerror(status)))")
        pid = child
    }

    /// SIGTERM, wait, remove the folder.
    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        let command = "rm -rf '\(folder)'"
        if getenv("SCHEDBENCH_KEEP") == nil { _ = system(command) }
    }

    /// The log so far.
    var log: String { DaemonUnderTest.readFile(logPath) ?? "" }

    /// Polls the log every 10 ms until it contains `fragment` `count` times, or `timeout` seconds pass.
    @discardableResult
    func waitForLog(_ fragment: String, count: Int = 1, timeout: Double) -> Bool {
        let deadline = BenchmarkClock.monotonicNanoseconds() + Int64(timeout * 1e9)
        while BenchmarkClock.monotonicNanoseconds() < deadline {
            if occurrences(of: fragment, in: log) >= count { return true }
            usleep(10_000)
        }
        return false
    }

    /// Resident set size (`VmRSS`) in bytes.
    var residentBytes: Int? {
        statusField("VmRSS:").map { $0 * 1024 }
    }

    /// The anonymous part of the resident set: the daemon's own heap and stacks, without the pages of
    /// the binary and shared libraries (which depend on how it was linked and are shared anyway).
    var anonymousResidentBytes: Int? {
        statusField("RssAnon:").map { $0 * 1024 }
    }

    /// Voluntary plus involuntary context switches of the daemon's main (event-loop) thread: each is a
    /// wake-up or a preemption. Only that thread, because a sum over the live threads goes down when
    /// one exits (the state store's Dispatch worker retires when idle), which once gave "-5".
    var contextSwitches: Int {
        guard let text = DaemonUnderTest.readFile("/proc/\(pid)/task/\(pid)/status") else { return 0 }
        var total = 0
        for line in text.split(separator: "\n")
        where line.hasPrefix("voluntary_ctxt_switches:") || line.hasPrefix("nonvoluntary_ctxt_switches:") {
            total += Int(line.split(separator: "\t").last.map(String.init) ?? "") ?? 0
        }
        return total
    }

    /// User plus system CPU time in clock ticks (`/proc/PID/stat` fields 14 and 15).
    var cpuTicks: Int {
        guard let stat = DaemonUnderTest.readFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else {
            return 0
        }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command name: field 3 (state) is index 0, so utime (14) is index 11.
        guard fields.count > 12 else { return 0 }
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }

    private func statusField(_ name: String) -> Int? {
        guard let text = DaemonUnderTest.readFile("/proc/\(pid)/status") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            return Int(
                line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init)
                    ?? ""
            )
        }
        return nil
    }

    // MARK: - Files

    static func writeFile(_ path: String, _ text: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        precondition(descriptor >= 0, "cannot write \(path)")
        defer { close(descriptor) }
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                precondition(written > 0, "write failed")
                offset += written
            }
        }
    }

    static func readFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// How many times `fragment` occurs in `text`.
func occurrences(of fragment: String, in text: String) -> Int {
    text.split(separator: "\n").filter { $0.contains(fragment) }.count
}

/// Calls `body` with a NULL-terminated `char *[]` of `strings`.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
