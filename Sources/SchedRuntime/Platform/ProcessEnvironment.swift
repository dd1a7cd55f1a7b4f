import Glibc

/// Read-only access to the daemon's own process environment and identity.
///
/// Reading only: the runtime never calls `setenv`/`unsetenv` (process-global mutation is unsafe with
/// threads), and job environments are built as explicit arrays instead.
public enum ProcessEnvironment {
    /// The value of environment variable `name`, or nil when unset.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The whole environment as a dictionary (later duplicates win).
    public static func all() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return result
    }

    /// This process's id (`getpid`).
    public static var processID: ProcessID {
        ProcessID(rawValue: getpid())
    }
}
