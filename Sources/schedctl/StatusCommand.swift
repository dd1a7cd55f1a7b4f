import SchedCore
import SchedTime

/// `schedctl status [--json]`: the daemon's version, uptime, config and what comes next.
enum StatusCommand {
    static let usage = """
        USAGE: schedctl status [--json] [--socket PATH]

        Shows the daemon's version, pid, uptime, config file, number of jobs, running runs
        and the next firing.

        OPTIONS:
          --json          Print the status object as JSON.
          --socket PATH   The daemon's control socket.
          -h, --help      Show this help.
        """

    static func run(_ arguments: [String], options: ControlOptions) -> Int32 {
        let scanner: ArgumentScanner
        do {
            scanner = try SimpleCommand.scan(arguments, command: "status", usage: usage, flags: ["--json"])
        } catch {
            return error.rawValue
        }
        switch options.exchange(.status) {
        case .failure(let code):
            return code.rawValue
        case .success(.status(let status)):
            if scanner.has("--json") {
                print(status.json.serialized())
            } else {
                let time = HumanTime(zone: Zone.system(), now: WallClock.currentInstant())
                print(render(status, socket: options.resolvedSocketPath, time: time))
            }
            return 0
        case .success(let other):
            return ControlOptions.unexpected(other)
        }
    }

    static func render(_ status: StatusInfo, socket: String, time: HumanTime) -> String {
        var next = "-"
        if let instant = status.next {
            next = time.localWithRelative(instant)
            if let job = status.nextJob { next += " \(job)" }
        }
        return """
            schedd \(status.version) (pid \(status.processID)), up \(HumanTime.span(seconds: UInt64(max(0, status.uptimeSeconds))))
            config:   \(status.configPath)
            socket:   \(socket)
            jobs:     \(status.jobs)
            running:  \(status.running)
            next:     \(next)
            """
    }
}
