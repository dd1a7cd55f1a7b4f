#if canImport(Glibc)
    import Glibc
#endif

/// A plain pthread running one closure, for benchmarks that need real concurrent clients (Dispatch's
/// `concurrentPerform` runs at most one thread per core, too few on a 2-core box).
final class BenchmarkThread: Sendable {
    private let handle: pthread_t

    private init(handle: pthread_t) {
        self.handle = handle
    }

    static func start(_ body: @escaping @Sendable () -> Void) -> BenchmarkThread {
        let box = Unmanaged.passRetained(ClosureBox(body)).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(
            &handle,
            nil,
            { argument in
                let box = Unmanaged<ClosureBox>.fromOpaque(argument!).takeRetainedValue()
                box.body()
                return nil
            },
            box
        )
        precondition(status == 0, "pthread_create failed: \(status)")
        return BenchmarkThread(handle: handle)
    }

    func join() {
        pthread_join(handle, nil)
    }
}

private final class ClosureBox {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// Runs programs for benchmarks with `posix_spawn`, output discarded.
enum BenchmarkProcess {
    /// `name` in the folder of the running executable (`/proc/self/exe`).
    static func besideRunningExecutable(_ name: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return name }
        let path = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return name }
        return String(path[..<slash]) + "/" + name
    }

    /// Runs `path` with `arguments` and `environment`, stdout and stderr to /dev/null; returns the exit
    /// status (or 128+signal).
    static func run(_ path: String, _ arguments: [String], environment: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = (["PATH=/usr/bin:/bin"] + environment).map { strdup($0) } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid = pid_t()
        guard posix_spawn(&pid, path, &actions, nil, argv, envp) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
