import SchedCore
import SchedTime

/// `schedctl list [--json]`: every job with its trigger, next and last firing, and state.
enum ListCommand {
    static let usage = """
        USAGE: schedctl list [--json] [--socket PATH]

        Lists every job the daemon knows: ID, TRIGGER, NEXT (local time and how soon),
        LAST (time and result) and STATE (scheduled, running, paused, disabled).

        OPTIONS:
          --json          Print a JSON array of job objects instead of a table.
          --socket PATH   The daemon's control socket.
          -h, --help      Show this help.
        """

    static func run(_ arguments: [String], options: ControlOptions) -> Int32 {
        let scanner: ArgumentScanner
        do {
            scanner = try SimpleCommand.scan(arguments, command: "list", usage: usage, flags: ["--json"])
        } catch {
            return error.rawValue
        }
        switch options.exchange(.list) {
        case .failure(let code):
            return code.rawValue
        case .success(.jobs(let jobs)):
            if scanner.has("--json") {
                print(JSONValue.array(jobs.map(\.json)).serialized())
            } else {
                let time = HumanTime(zone: Zone.system(), now: WallClock.currentInstant())
                print(render(jobs, time: time, style: .forStandardOutput(environment: options.environment)))
            }
            return 0
        case .success(let other):
            return ControlOptions.unexpected(other)
        }
    }

    /// The table: one row per job, in the daemon's order.
    static func render(_ jobs: [JobInfo], time: HumanTime, style: TerminalStyle) -> String {
        var table = TextTable(header: ["ID", "TRIGGER", "NEXT", "LAST", "STATE"])
        table.rows.reserveCapacity(jobs.count)
        for job in jobs {
            let next = job.next.map { time.localWithRelative($0) } ?? "-"
            var last = TextTable.Cell("-")
            if let run = job.last {
                let when = run.started ?? run.scheduled
                last = TextTable.Cell(
                    "\(time.local(when)) \(RunResultText.describe(run))",
                    RunResultText.color(run.result)
                )
            }
            var state = job.state.rawValue
            if job.consecutiveFailures > 1 { state += " (\(job.consecutiveFailures) failures)" }
            table.rows.append([
                TextTable.Cell(job.id), TextTable.Cell(job.trigger), TextTable.Cell(next), last,
                TextTable.Cell(state, stateColor(job.state)),
            ])
        }
        if jobs.isEmpty { return table.render(style: style) + "\n(no jobs)" }
        return table.render(style: style)
    }

    static func stateColor(_ state: JobInfo.State) -> TerminalStyle.Color? {
        switch state {
        case .scheduled: nil
        case .running: .cyan
        case .paused: .yellow
        case .disabled: .dim
        }
    }
}
