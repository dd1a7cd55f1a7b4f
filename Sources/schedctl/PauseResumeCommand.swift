import SchedCore
import SchedTime

/// `schedctl pause ID` and `schedctl resume ID`. A pause survives reloads and restarts.
enum PauseResumeCommand {
    static func usage(_ command: String) -> String {
        let what =
            command == "pause"
            ? "Stops job ID from firing until 'schedctl resume ID'. Runs already active go on;\nthe pause survives reloads and daemon restarts."
            : "Lets a paused job ID fire again from its next scheduled time (missed firings\nwhile paused are not made up)."
        return """
            USAGE: schedctl \(command) ID [--socket PATH]

            \(what)

            OPTIONS:
              --socket PATH   The daemon's control socket.
              -h, --help      Show this help.
            """
    }

    static func run(_ command: String, _ arguments: [String], options: ControlOptions) -> Int32 {
        let scanner: ArgumentScanner
        do {
            scanner = try SimpleCommand.scan(arguments, command: command, usage: usage(command), positionals: 1)
        } catch {
            return error.rawValue
        }
        let id = scanner.positionals[0]
        let request: ControlRequest = command == "pause" ? .pause(job: id) : .resume(job: id)
        switch options.exchange(request) {
        case .failure(let code):
            return code.rawValue
        case .success(.job(let job)):
            let time = HumanTime(zone: Zone.system(), now: WallClock.currentInstant())
            print(confirmation(command, job, time: time))
            return 0
        case .success(let other):
            return ControlOptions.unexpected(other)
        }
    }

    static func confirmation(_ command: String, _ job: JobInfo, time: HumanTime) -> String {
        if command == "pause" { return "\(job.id): paused" }
        let next = job.next.map { "; next \(time.localWithRelative($0))" } ?? ""
        return "\(job.id): \(job.state.rawValue)\(next)"
    }
}
