import SchedCore

/// How a run's outcome reads in tables: `ok`, `failed (exit 3)`, `killed (SIGKILL)`, `timed out`,
/// `skipped (previous run still active)`, with a colour by severity.
enum RunResultText {
    static func describe(_ run: RunInfo) -> String {
        switch run.result {
        case .ok:
            return "ok"
        case .failed:
            if let code = run.exitCode { return "failed (exit \(code))" }
            if let status = run.httpStatus { return "failed (HTTP \(status))" }
            return run.reason.map { "failed (\($0))" } ?? "failed"
        case .killed:
            return run.signal.map { "killed (\(signalName($0)))" } ?? "killed"
        case .timeout:
            return "timed out"
        case .missed, .skipped, .interrupted:
            return run.reason.map { "\(run.result.rawValue) (\($0))" } ?? run.result.rawValue
        }
    }

    static func color(_ result: RunResult) -> TerminalStyle.Color {
        switch result {
        case .ok: .green
        case .failed, .killed, .timeout: .red
        case .missed, .skipped, .interrupted: .yellow
        }
    }

    /// `SIGTERM` for 15; `signal 42` for numbers without a common name.
    static func signalName(_ number: Int32) -> String {
        let names: [Int32: String] = [
            1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE",
            9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM",
            15: "SIGTERM", 24: "SIGXCPU", 25: "SIGXFSZ",
        ]
        return names[number] ?? "signal \(number)"
    }
}
