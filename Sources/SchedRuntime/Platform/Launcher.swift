import CSchedLinux
import Glibc

/// A request to the C launcher (`csl_launch`): what to exec, with which stdio, identity and directory.
struct LaunchRequest {
    /// Paths to try in order (see `executableCandidates`).
    var candidates: [String]
    var arguments: [String]
    var environment: [String]
    var workingDirectory: String?
    var standardInput: FileDescriptor
    var standardOutput: FileDescriptor
    var standardError: FileDescriptor
    var identity: ProcessIdentity?
}

/// A launch that failed before the program ran: which step, and the errno.
struct LaunchFailure: Error {
    /// The child's (or the parent's) failing step.
    enum Step: Int32 {
        case fork = 1
        case signals, setsid, stdio, setgroups, setgid, setuid, chdir, exec, statusPipe
    }

    var step: Step
    var errno: Errno
}

/// Forks and execs through the C launcher, which only makes async-signal-safe calls in the child.
enum Launcher {
    /// Starts `request` in a new session and returns the pid once `execve` succeeded.
    ///
    /// Blocks for the fork-to-exec window only (the parent reads the CLOEXEC status pipe until EOF).
    static func launch(_ request: LaunchRequest) throws(LaunchFailure) -> ProcessID {
        // All C strings are prepared before fork: the child must not allocate.
        let candidates = CStringArray(request.candidates)
        let arguments = CStringArray(request.arguments)
        let environment = CStringArray(request.environment)
        defer {
            candidates.deallocate()
            arguments.deallocate()
            environment.deallocate()
        }
        let groups = request.identity?.supplementaryGroups ?? []
        var pid: pid_t = 0
        var failure = csl_launch_failure(step: 0, error: 0)
        let result = withOptionalCString(request.workingDirectory) { directory in
            groups.withUnsafeBufferPointer { groupBuffer in
                var cRequest = csl_launch_request(
                    candidates: candidates.pointer,
                    argv: arguments.pointer,
                    envp: environment.pointer,
                    working_directory: directory,
                    stdin_fd: request.standardInput.rawValue,
                    stdout_fd: request.standardOutput.rawValue,
                    stderr_fd: request.standardError.rawValue,
                    change_identity: request.identity == nil ? 0 : 1,
                    uid: request.identity?.userID ?? 0,
                    gid: request.identity?.groupID ?? 0,
                    groups: groupBuffer.baseAddress,
                    group_count: groupBuffer.count
                )
                return csl_launch(&cRequest, &pid, &failure)
            }
        }
        if result == 0 { return ProcessID(rawValue: pid) }
        throw LaunchFailure(
            step: LaunchFailure.Step(rawValue: failure.step) ?? .exec,
            errno: Errno(rawValue: failure.error)
        )
    }

    /// Where `execve` should look for `program`: the path itself when it contains a slash, otherwise
    /// each directory of the job's `PATH` (not the daemon's), as `execvp` would with the job's environment.
    static func executableCandidates(for program: String, environment: [String]) -> [String] {
        if program.contains("/") { return [program] }
        let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        let path = environment.last { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) } ?? defaultPath
        return path.split(separator: ":", omittingEmptySubsequences: false).map { directory in
            // An empty PATH entry means the current directory, as in execvp.
            directory.isEmpty ? "./\(program)" : "\(directory)/\(program)"
        }
    }
}

// MARK: - C string arrays

/// A NULL-terminated array of heap C strings, freed explicitly with `deallocate()`.
private struct CStringArray {
    let pointer: UnsafeMutablePointer<UnsafePointer<CChar>?>
    let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointer = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() {
            pointer[index] = UnsafePointer(strdup(string))
        }
        pointer[strings.count] = nil
    }

    func deallocate() {
        for index in 0..<count {
            free(UnsafeMutablePointer(mutating: pointer[index]))
        }
        pointer.deallocate()
    }
}

private func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}
