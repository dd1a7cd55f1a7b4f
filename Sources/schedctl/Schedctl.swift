/// The top-level command: dispatches to subcommands and owns the exit-code convention.
///
/// Exit codes: 0 success; 1 the thing asked for failed (invalid config, an expression that never
/// fires, daemon unreachable); 2 usage errors and unparsable input (bad cron expression, unknown flag).
enum Schedctl {
    static let usage = """
        USAGE: schedctl <command> [options]

        Offline commands:
          next EXPR        Preview the next fire times of a cron expression
          validate [PATH]  Check a config file and show each job's next fire time

        Run 'schedctl <command> --help' for a command's options.

        Exit codes: 0 success; 1 the request failed (invalid config, an expression that never
        fires, daemon unreachable); 2 usage error or unparsable input.
        """

    static func main(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else {
            printError(usage)
            return 2
        }
        let rest = Array(arguments.dropFirst())
        switch command {
        case "-h", "--help", "help":
            print(usage)
            return 0
        case "next":
            return NextCommand.run(rest)
        case "validate":
            return ValidateCommand.run(rest)
        default:
            printError("schedctl: unknown command '\(command)'\n\n\(usage)")
            return 2
        }
    }
}
