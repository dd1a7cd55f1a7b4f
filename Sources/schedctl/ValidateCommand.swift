import SchedCore
import SchedTime

#if canImport(Glibc)
    import Glibc
#endif

/// `schedctl validate [PATH]`: load a config as the daemon would and show what it will do.
///
/// Output: on success a table of jobs (id, trigger, next fire time in the job's zone) on stdout,
/// warnings and notes on stderr, exit 0. With errors, every diagnostic on stderr, then a count, exit 1.
enum ValidateCommand {
    static let defaultPath = "/etc/schedd/schedules.toml"

    static let usage = """
        USAGE: schedctl validate [PATH]

        Checks a schedule (default \(defaultPath)) and its drop-ins, reporting every
        problem as file:line:column, and lists each job with its next fire time.

        OPTIONS:
          -h, --help   Show this help.

        Exit codes: 0 the config is valid (warnings and notes may be printed); 1 it has errors
        or cannot be read; 2 usage error.
        """

    static func run(_ arguments: [String]) -> Int32 {
        var path: String?
        for argument in arguments {
            if argument == "-h" || argument == "--help" {
                print(usage)
                return 0
            }
            if argument.hasPrefix("-") && argument != "-" {
                printError("schedctl validate: unknown option '\(argument)'\n\n\(usage)")
                return 2
            }
            guard path == nil else {
                printError("schedctl validate: expected at most one PATH\n\n\(usage)")
                return 2
            }
            path = argument
        }
        let file = path ?? defaultPath
        let loader = ConfigLoader(fileSystem: LocalFileSystem(), systemZone: Zone.system())
        let now = currentInstant()
        let result = loader.load(path: file, now: now)
        for diagnostic in result.diagnostics {
            printError(diagnostic.description)
        }
        guard let config = result.config else {
            let count = result.errors.count
            let inDropIns = result.errors.contains { $0.location.file != file }
            printError("\(count) \(count == 1 ? "error" : "errors") in \(file)\(inDropIns ? " and its drop-ins" : "")")
            return 1
        }
        printJobs(config, now: now)
        return 0
    }

    /// One aligned line per job: id, trigger text, next firing.
    static func printJobs(_ config: ScheduleConfig, now: Instant) {
        let rows = config.jobs.map { job in [job.id, job.triggerText, nextText(job, now: now)] }
        let header = ["JOB", "TRIGGER", "NEXT"]
        let widths = (0..<2).map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        for row in [header] + rows {
            print(padded(row[0], widths[0]) + "  " + padded(row[1], widths[1]) + "  " + row[2])
        }
        let jobs = config.jobs.count
        print("\(config.files[0]): \(jobs) \(jobs == 1 ? "job" : "jobs"), valid")
    }

    /// `text` with spaces appended up to `width` characters.
    static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// RFC 3339 with the offset of the zone the trigger runs in, or why there is no next firing.
    static func nextText(_ job: JobConfig, now: Instant) -> String {
        if !job.enabled { return "disabled" }
        if job.trigger.isReboot { return "at daemon start" }
        guard let next = job.nextFire(after: now) else { return "never" }
        var zone = job.zone
        if case .cron(_, let cronZone, _) = job.trigger { zone = cronZone }
        return RFC3339.format(next, offset: zone.offset(at: next))
    }

    /// The wall clock now (CLOCK_REALTIME), in whole seconds so interval previews read cleanly.
    static func currentInstant() -> Instant {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Instant(secondsSinceEpoch: Int64(time.tv_sec))
    }
}
