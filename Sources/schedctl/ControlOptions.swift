import SchedCore
import SchedRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// What every daemon command shares: where the socket is, and how to report a failed exchange.
struct ControlOptions {
    /// `--socket PATH`, given before or after the subcommand.
    var socketPath: String?
    var environment: [String: String]

    /// The socket to use: `--socket`, else `SCHEDD_SOCKET`, else the default for this user.
    var resolvedSocketPath: String {
        ControlSocketPath.resolve(explicit: socketPath, environment: environment)
    }

    /// Removes `--socket PATH` / `--socket=PATH` from anywhere before `--` and returns the rest.
    static func extract(from arguments: [String]) throws(UsageError) -> (socket: String?, rest: [String]) {
        var socket: String?
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                rest.append(contentsOf: arguments[(index - 1)...])
                break
            }
            if argument == "--socket" {
                guard index < arguments.count else {
                    throw UsageError(message: "schedctl: option '--socket' needs a value")
                }
                socket = arguments[index]
                index += 1
            } else if argument.hasPrefix("--socket=") {
                socket = String(argument.dropFirst("--socket=".count))
            } else {
                rest.append(argument)
            }
        }
        return (socket, rest)
    }

    /// Sends `request` and returns the successful response, or prints why not and returns the exit
    /// code (1: unreachable daemon, refused or failed request).
    func exchange(_ request: ControlRequest, timeout: Duration? = .seconds(30)) -> Result<ControlResponse, ExitCode> {
        let path = resolvedSocketPath
        do {
            let client = try ControlClient(socketPath: path)
            let response = try client.send(request, timeout: timeout)
            if case .failure(let error) = response {
                Self.report(error)
                return .failure(ExitCode(1))
            }
            return .success(response)
        } catch {
            printError("schedctl: \(error.description)")
            return .failure(ExitCode(1))
        }
    }

    /// Prints a daemon error: details (diagnostics) first, then the message and any suggestions.
    static func report(_ error: ControlError) {
        for line in error.details { printError(line) }
        var message = "schedctl: \(error.message)"
        if !error.suggestions.isEmpty {
            let quoted = error.suggestions.map { "'\($0)'" }
            message +=
                "; did you mean \(quoted.count == 1 ? quoted[0] : quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!)?"
        }
        printError(message)
    }

    /// Reports a response of the wrong kind (a daemon of another version, most likely).
    static func unexpected(_ response: ControlResponse) -> Int32 {
        printError("schedctl: unexpected '\(response.kind)' response from the daemon")
        return 1
    }
}

/// A process exit status, as the `Result` failure of an exchange.
struct ExitCode: Error {
    var rawValue: Int32
    init(_ rawValue: Int32) { self.rawValue = rawValue }
}
