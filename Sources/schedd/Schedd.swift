import Glibc
import SchedCore
import SchedRuntime

/// The command line: parses options, then checks the config or runs the daemon.
///
/// Exit codes: 0 ok (clean shutdown, valid config); 1 the config is invalid or cannot be read, or
/// the daemon could not start; 2 usage error.
enum Schedd {
    static let defaultConfigPath = "/etc/schedd/schedules.toml"

    static let usage = """
        USAGE: schedd [--config PATH] [--check]

        Runs the schedd job scheduler in the foreground (under systemd: Type=notify).

        OPTIONS:
          -c, --config PATH  The schedule to load (default \(defaultConfigPath)).
          --check            Validate the config and its drop-ins, print every problem, and exit.
          -h, --help         Show this help.
          --version          Print the version.

        SIGNALS: SIGHUP reloads the config (an invalid one is reported and the old schedule kept);
        SIGTERM/SIGINT shut down gracefully (running jobs get shutdown_grace; a second signal stops
        them at once).

        Exit codes: 0 success; 1 invalid or unreadable config, or the daemon could not start;
        2 usage error.
        """

    /// What the command line asked for.
    enum Command: Equatable {
        case run(configPath: String)
        case check(configPath: String)
        case help
        case version
    }

    /// Parses `arguments` (without the program name); a usage error is returned as its message.
    static func parse(_ arguments: [String]) -> Result<Command, UsageError> {
        var configPath: String?
        var check = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            switch argument {
            case "-h", "--help":
                return .success(.help)
            case "--version":
                return .success(.version)
            case "--check":
                check = true
            case "-c", "--config":
                guard index < arguments.count else { return .failure(UsageError("\(argument) needs a PATH")) }
                configPath = arguments[index]
                index += 1
            default:
                if argument.hasPrefix("--config=") {
                    configPath = String(argument.dropFirst("--config=".count))
                } else if argument.hasPrefix("-") {
                    return .failure(UsageError("unknown option '\(argument)'"))
                } else {
                    return .failure(UsageError("unexpected argument '\(argument)'"))
                }
            }
        }
        let path = configPath ?? defaultConfigPath
        if path.isEmpty { return .failure(UsageError("--config needs a non-empty PATH")) }
        return .success(check ? .check(configPath: path) : .run(configPath: path))
    }

    struct UsageError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    static func main(_ arguments: [String]) -> Int32 {
        switch parse(arguments) {
        case .failure(let error):
            printError("schedd: \(error.message)\n\n\(usage)")
            return 2
        case .success(.help):
            print(usage)
            return 0
        case .success(.version):
            print("schedd \(BuildInfo.version)")
            return 0
        case .success(.check(let path)):
            return check(path)
        case .success(.run(let path)):
            return runDaemon(path)
        }
    }

    /// `--check`: every diagnostic on stderr, a one-line verdict, exit 0 or 1.
    static func check(_ path: String) -> Int32 {
        let result = Daemon.loadConfig(path: path)
        for diagnostic in result.diagnostics { printError(diagnostic.description) }
        guard let config = result.config else {
            let count = result.errors.count
            printError("schedd: \(count) \(count == 1 ? "error" : "errors") in \(path)")
            return 1
        }
        let jobs = config.jobs.count
        print("\(path): \(jobs) \(jobs == 1 ? "job" : "jobs"), valid")
        return 0
    }

    static func runDaemon(_ path: String) -> Int32 {
        Allocator.tuneForDaemon()
        let result = Daemon.loadConfig(path: path)
        guard let config = result.config else {
            for diagnostic in result.diagnostics { printError(diagnostic.description) }
            let count = result.errors.count
            printError("schedd: not starting: \(count) \(count == 1 ? "error" : "errors") in \(path)")
            return 1
        }
        do {
            let daemon = try Daemon(configPath: path, config: config)
            daemon.logDiagnostics(result.diagnostics)
            try daemon.enableObservability()
            try daemon.run()
            daemon.finishObservability()
            return 0
        } catch {
            printError("schedd: \(error)")
            return 1
        }
    }
}

/// Writes `text` and a newline to standard error.
func printError(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
}
