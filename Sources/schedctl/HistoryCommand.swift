import SchedCore
import SchedTime

/// `schedctl history ID [--limit N] [--json]`: past runs of a job, newest first.
enum HistoryCommand {
    static let usage = """
        USAGE: schedctl history ID [--limit N] [--json] [--socket PATH]

        Shows past runs of job ID, newest first: run id, scheduled and actual start,
        duration, result (ok, failed with its exit code, killed by a signal, timed out,
        missed, skipped with the reason), attempt and the last line of output.

        OPTIONS:
          --limit N       At most N runs (default: as many as the daemon keeps).
          --json          Print a JSON array of run objects.
          --socket PATH   The daemon's control socket.
          -h, --help      Show this help.
        """

    static func run(_ arguments: [String], options: ControlOptions) -> Int32 {
        let scanner: ArgumentScanner
        do {
            scanner = try SimpleCommand.scan(
                arguments,
                command: "history",
                usage: usage,
                flags: ["--json"],
                values: ["--limit"],
                positionals: 1
            )
        } catch {
            return error.rawValue
        }
        var limit: Int?
        if let text = scanner.value("--limit") {
            guard let value = Int(text), value >= 1 else {
                printError("schedctl history: --limit needs a positive number, not '\(text)'\n\n\(usage)")
                return 2
            }
            limit = value
        }
        switch options.exchange(.history(job: scanner.positionals[0], limit: limit)) {
        case .failure(let code):
            return code.rawValue
        case .success(.runs(let runs)):
            if scanner.has("--json") {
                print(JSONValue.array(runs.map(\.json)).serialized())
            } else {
                let time = HumanTime(zone: Zone.system(), now: WallClock.currentInstant())
                print(render(runs, time: time, style: .forStandardOutput(environment: options.environment)))
            }
            return 0
        case .success(let other):
            return ControlOptions.unexpected(other)
        }
    }

    static func render(_ runs: [RunInfo], time: HumanTime, style: TerminalStyle) -> String {
        var table = TextTable(header: ["RUN", "SCHEDULED", "STARTED", "DURATION", "RESULT", "ATTEMPT", "OUTPUT"])
        for run in runs {
            table.rows.append([
                TextTable.Cell(run.runID.description),
                TextTable.Cell(time.local(run.scheduled)),
                TextTable.Cell(run.started.map(time.local) ?? "-"),
                TextTable.Cell(run.durationMilliseconds.map(HumanTime.duration) ?? "-"),
                TextTable.Cell(RunResultText.describe(run), RunResultText.color(run.result)),
                TextTable.Cell(String(run.attempt)),
                TextTable.Cell(lastLine(run.outputTail)),
            ])
        }
        if runs.isEmpty { return table.render(style: style) + "\n(no runs recorded)" }
        return table.render(style: style)
    }

    /// The last non-empty line of an output tail, cut to 60 characters.
    static func lastLine(_ tail: String?) -> String {
        guard let tail else { return "" }
        let line = tail.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return line.count > 60 ? String(line.prefix(59)) + "…" : line
    }
}
