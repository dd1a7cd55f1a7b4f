import SchedCore

/// `schedctl metrics`: the daemon's Prometheus text exposition.
enum MetricsCommand {
    static let usage = """
        USAGE: schedctl metrics [--socket PATH]

        Prints the daemon's metrics in the Prometheus text format.

        OPTIONS:
          --socket PATH   The daemon's control socket.
          -h, --help      Show this help.
        """

    static func run(_ arguments: [String], options: ControlOptions) -> Int32 {
        do {
            _ = try SimpleCommand.scan(arguments, command: "metrics", usage: usage)
        } catch {
            return error.rawValue
        }
        switch options.exchange(.metrics) {
        case .failure(let code):
            return code.rawValue
        case .success(.metrics(let text)):
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            return 0
        case .success(let other):
            return ControlOptions.unexpected(other)
        }
    }
}
