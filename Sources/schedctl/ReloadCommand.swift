import SchedCore

/// `schedctl reload`: the daemon re-reads its configuration and answers with the outcome.
enum ReloadCommand {
    static let usage = """
        USAGE: schedctl reload [--socket PATH]

        Asks the daemon to re-read its configuration. On errors the daemon keeps the old
        schedule and the errors are printed as 'schedctl validate' prints them.

        OPTIONS:
          --socket PATH   The daemon's control socket.
          -h, --help      Show this help.

        Exit codes: 0 reloaded; 1 the new configuration is invalid (nothing changed) or the
        daemon is unreachable.
        """

    static func run(_ arguments: [String], options: ControlOptions) -> Int32 {
        do {
            _ = try SimpleCommand.scan(arguments, command: "reload", usage: usage)
        } catch {
            return error.rawValue
        }
        switch options.exchange(.reload, timeout: .seconds(120)) {
        case .failure(let code):
            return code.rawValue
        case .success(.reloaded(let summary)):
            print(describe(summary))
            return 0
        case .success(let other):
            return ControlOptions.unexpected(other)
        }
    }

    /// `reloaded: 4 jobs (added: a; removed: b; changed: c)`.
    static func describe(_ summary: ReloadSummary) -> String {
        var changes: [String] = []
        if !summary.added.isEmpty { changes.append("added: " + summary.added.joined(separator: ", ")) }
        if !summary.removed.isEmpty { changes.append("removed: " + summary.removed.joined(separator: ", ")) }
        if !summary.changed.isEmpty { changes.append("changed: " + summary.changed.joined(separator: ", ")) }
        let jobs = "\(summary.jobs) \(summary.jobs == 1 ? "job" : "jobs")"
        return changes.isEmpty
            ? "reloaded: \(jobs), no changes" : "reloaded: \(jobs) (\(changes.joined(separator: "; ")))"
    }
}
