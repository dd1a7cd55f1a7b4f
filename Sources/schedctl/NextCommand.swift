import SchedCron
import SchedTime

#if canImport(Glibc)
    import Glibc
#endif

/// `schedctl next EXPR`: previews the fire times of a cron expression, offline.
///
/// Exit codes: 0 printed; 1 the expression never fires (within 100 years); 2 usage error, invalid
/// expression, bad `--from` time or unknown zone.
enum NextCommand {
    static let help = """
        USAGE: schedctl next EXPR [--tz ZONE] [--from TIME] [--count N] [--dst-gap shift|skip]
                                  [--dst-repeat first|both] [--hash-seed ID]

        Prints the next fire times of the cron expression EXPR, one per line, in RFC 3339 with the
        zone's UTC offset at that instant (2026-03-08T03:00:00-04:00). When the DST rule moved or
        de-duplicated a firing, two spaces and an explanation in parentheses follow the time, so the
        first field of each line is always the instant.

        ARGUMENTS:
          EXPR                     A cron expression, quoted: '*/5 * * * *', '0 9 * * MON-FRI',
                                   'CRON_TZ=Europe/Berlin 30 2 * * *', '@daily'.

        OPTIONS:
          --tz ZONE                Time zone to evaluate in (default: the expression's CRON_TZ= zone,
                                   else the system zone).
          --from TIME              List fire times strictly after this RFC 3339 time (default: now).
          --count N                How many fire times to print (default: 5).
          --dst-gap shift|skip     A match inside a spring-forward gap fires at the end of the gap
                                   (shift) or not at all (skip). Default: shift for fixed-time
                                   expressions (minute and hour not starting with '*'), else skip.
          --dst-repeat first|both  A time that occurs twice in a fall-back fires only the first time
                                   (first) or in both passes (both). Default: first for fixed-time
                                   expressions, else both.
          --hash-seed ID           Seed for 'H' fields (schedd uses the job id).
          -h, --help               Show this help.

        EXIT CODES:
          0  fire times printed
          1  the expression never fires (no fire time within 100 years)
          2  usage error, invalid expression, invalid --from time or unknown zone
        """

    static func run(_ arguments: [String]) -> Int32 {
        do {
            return try execute(arguments)
        } catch {
            printError(error.message)
            return 2
        }
    }

    private static func execute(_ arguments: [String]) throws(UsageError) -> Int32 {
        let options = try ArgumentScanner(
            arguments,
            command: "schedctl next",
            valueOptions: ["--tz", "--from", "--count", "--dst-gap", "--dst-repeat", "--hash-seed"],
            flagOptions: ["--help", "-h"]
        )
        if options.has("--help", "-h") {
            print(help)
            return 0
        }
        guard options.positionals.count == 1, let text = options.positionals.first else {
            let found = options.positionals.isEmpty ? "none" : "\(options.positionals.count)"
            throw UsageError(
                message: "schedctl next: expected one cron expression (quote it), found \(found)\n"
                    + "Run 'schedctl next --help' for usage."
            )
        }

        // 1. The expression: a parse error is shown with its caret, exit 2.
        let expression: CronExpression
        do {
            expression = try CronExpression(parsing: text, hashSeed: options.value("--hash-seed"))
        } catch {
            throw UsageError(message: error.description)
        }

        // 2. Options that depend on nothing else.
        let count = try parseCount(options.value("--count"))
        let start = try parseStart(options.value("--from"))
        var policy = expression.defaultDSTPolicy
        if let gap = options.value("--dst-gap") {
            guard let value = DSTGapPolicy(rawValue: gap) else {
                throw UsageError(message: "schedctl next: --dst-gap expects 'shift' or 'skip', got '\(gap)'")
            }
            policy.gap = value
        }
        if let repeated = options.value("--dst-repeat") {
            guard let value = DSTRepeatPolicy(rawValue: repeated) else {
                throw UsageError(message: "schedctl next: --dst-repeat expects 'first' or 'both', got '\(repeated)'")
            }
            policy.repeated = value
        }

        // 3. The zone: --tz, else the expression's prefix, else the system zone.
        let zone: Zone
        if let name = options.value("--tz") ?? expression.zoneName {
            do {
                zone = try Zone.named(name)
            } catch {
                throw UsageError(message: "schedctl next: \(error.description)")
            }
        } else {
            zone = Zone.system()
        }

        if expression.isReboot {
            printError("schedctl next: '@reboot' has no fire times; it fires once each time schedd starts")
            return 0
        }
        var cursor = start
        for index in 0..<count {
            guard let fire = expression.next(after: cursor, in: zone, policy: policy) else {
                if index == 0 {
                    printError(
                        "schedctl next: '\(text)' never fires (no fire time within "
                            + "\(CronExpression.searchHorizonYears) years in \(zone.identifier))"
                    )
                    return 1
                }
                break
            }
            print(fire.line(in: zone))
            cursor = fire.instant
        }
        return 0
    }

    private static func parseCount(_ text: String?) throws(UsageError) -> Int {
        guard let text else { return 5 }
        guard let count = Int(text), count >= 1 else {
            throw UsageError(message: "schedctl next: --count expects a positive whole number, got '\(text)'")
        }
        return count
    }

    private static func parseStart(_ text: String?) throws(UsageError) -> Instant {
        guard let text else { return now() }
        guard let instant = RFC3339.parse(text) else {
            throw UsageError(
                message:
                    "schedctl next: --from expects an RFC 3339 time such as 2026-03-08T01:00:00-05:00, got '\(text)'"
            )
        }
        return instant
    }

    /// The current wall-clock time (`CLOCK_REALTIME`).
    private static func now() -> Instant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Instant(nanosecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }
}
