import SchedRuntime

/// The top-level command: dispatches to subcommands and owns the exit-code convention.
///
/// Exit codes: 0 success; 1 the thing asked for failed (invalid config, an expression that never
/// fires, daemon unreachable, a refused request); 2 usage errors and unparsable input (bad cron
/// expression, unknown flag); `run-now --wait` passes the job's exit code on.
enum Schedctl {
    static let usage = """
        USAGE: schedctl [--socket PATH] <command> [options]

        Daemon commands:
          list [--json]                    Jobs with trigger, next and last run, and state
          status [--json]                  Daemon version, uptime, config, jobs, next firing
          run-now ID [--wait] [--force]    Start a run now (prints the run id)
          pause ID                         Stop a job firing (kept across reloads and restarts)
          resume ID                        Let a paused job fire again
          reload                           Re-read the configuration
          history ID [--limit N] [--json]  Past runs of a job, newest first
          metrics                          Prometheus metrics text

        Offline commands:
          next EXPR                        Preview the next fire times of a cron expression
          validate [PATH]                  Check a config file and show each job's next fire time

        Daemon commands talk to the control socket: --socket PATH (before or after the
        command), else $SCHEDD_SOCKET, else /run/schedd/control.sock for root and
        $XDG_RUNTIME_DIR/schedd/control.sock for other users.

        Run 'schedctl <command> --help' for a command's options.

        Exit codes:
          0    success
          1    the request failed: daemon unreachable, unknown job, permission denied, a
               reload with an invalid config, an invalid config (validate), an expression
               that never fires (next)
          2    usage error or unparsable input
          run-now --wait exits with the job's exit code: 128+N when signal N ended it,
               124 when it timed out, 1 when it could not start or was skipped
        """

    static func main(_ arguments: [String], environment: [String: String] = ProcessEnvironment.all()) -> Int32 {
        let socket: String?
        let remaining: [String]
        do {
            (socket, remaining) = try ControlOptions.extract(from: arguments)
        } catch {
            printError("\(error.message)\n\n\(usage)")
            return 2
        }
        guard let command = remaining.first else {
            printError(usage)
            return 2
        }
        let rest = Array(remaining.dropFirst())
        let options = ControlOptions(socketPath: socket, environment: environment)
        switch command {
        case "-h", "--help", "help":
            print(usage)
            return 0
        case "list": return ListCommand.run(rest, options: options)
        case "status": return StatusCommand.run(rest, options: options)
        case "run-now": return RunNowCommand.run(rest, options: options)
        case "pause", "resume": return PauseResumeCommand.run(command, rest, options: options)
        case "reload": return ReloadCommand.run(rest, options: options)
        case "history": return HistoryCommand.run(rest, options: options)
        case "metrics": return MetricsCommand.run(rest, options: options)
        case "next": return NextCommand.run(rest)
        case "validate": return ValidateCommand.run(rest)
        default:
            printError("schedctl: unknown command '\(command)'\n\n\(usage)")
            return 2
        }
    }
}
