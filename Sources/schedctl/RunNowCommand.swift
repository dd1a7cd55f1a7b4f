import SchedCore

/// `schedctl run-now ID [--wait] [--force] [--json]`: start a run now, without moving the schedule.
enum RunNowCommand {
    static let usage = """
        USAGE: schedctl run-now ID [--wait] [--force] [--json] [--socket PATH]

        Starts a run of job ID now; its schedule is not moved. Prints the run id.

        OPTIONS:
          --wait          Wait for the run to finish and exit with its exit code; on failure the
                          end of its output is printed on stderr.
          --force         Run even when max_instances runs are already active.
          --json          With --wait, print the finished run as a JSON run object.
          --socket PATH   The daemon's control socket.
          -h, --help      Show this help.

        Exit codes: 0 the run started (with --wait: it succeeded); 1 the daemon refused or is
        unreachable. With --wait: the job's exit code; 128+N when signal N ended it; 124 when it
        timed out; 1 when it could not start or was skipped.
        """

    static func run(_ arguments: [String], options: ControlOptions) -> Int32 {
        let scanner: ArgumentScanner
        do {
            scanner = try SimpleCommand.scan(
                arguments,
                command: "run-now",
                usage: usage,
                flags: ["--wait", "--force", "--json"],
                positionals: 1
            )
        } catch {
            return error.rawValue
        }
        let wait = scanner.has("--wait")
        let request = ControlRequest.runNow(job: scanner.positionals[0], wait: wait, force: scanner.has("--force"))
        // --wait lasts as long as the job does: no client timeout.
        switch options.exchange(request, timeout: wait ? nil : .seconds(30)) {
        case .failure(let code):
            return code.rawValue
        case .success(.runStarted(_, let runID)):
            print(runID.description)
            return 0
        case .success(.runFinished(let run)):
            if scanner.has("--json") {
                print(run.json.serialized())
            } else {
                print(run.runID.description)
            }
            if run.result != .ok {
                if let tail = run.outputTail, !tail.isEmpty {
                    printError(tail.hasSuffix("\n") ? String(tail.dropLast()) : tail)
                }
                printError("schedctl: run \(run.runID) of \(run.job) \(RunResultText.describe(run))")
            }
            return exitCode(for: run)
        case .success(let other):
            return ControlOptions.unexpected(other)
        }
    }

    /// The exit status `run-now --wait` passes on for a finished run.
    static func exitCode(for run: RunInfo) -> Int32 {
        switch run.result {
        case .ok: return 0
        case .failed: return run.exitCode.map { $0 == 0 ? 1 : $0 } ?? 1
        case .killed: return run.signal.map { 128 + $0 } ?? 1
        case .timeout: return 124
        case .missed, .skipped, .interrupted: return 1
        }
    }
}
