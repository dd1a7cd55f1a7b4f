/// Argument handling shared by the daemon commands.
enum SimpleCommand {
    /// Scans `arguments` for `flags`, `values`, `-h`/`--help` and exactly `positionals` positionals.
    /// Prints help (throws exit code 0) or a usage error (throws 2) when the command should stop.
    static func scan(
        _ arguments: [String],
        command: String,
        usage: String,
        flags: Set<String> = [],
        values: Set<String> = [],
        positionals: Int = 0
    ) throws(ExitCode) -> ArgumentScanner {
        let scanner: ArgumentScanner
        do {
            scanner = try ArgumentScanner(
                arguments,
                command: "schedctl \(command)",
                valueOptions: values,
                flagOptions: flags.union(["-h", "--help"])
            )
        } catch {
            printError("\(error.message)\n\n\(usage)")
            throw ExitCode(2)
        }
        if scanner.has("-h", "--help") {
            print(usage)
            throw ExitCode(0)
        }
        guard scanner.positionals.count == positionals else {
            let problem =
                scanner.positionals.count < positionals
                ? "missing job ID" : "unexpected argument '\(scanner.positionals[positionals])'"
            printError("schedctl \(command): \(problem)\n\n\(usage)")
            throw ExitCode(2)
        }
        return scanner
    }
}
