/// What a job does when it fires. Every action runs as a child process.
public enum JobAction: Hashable, Sendable {
    /// `command = ["prog", "arg"]`: executed directly (`PATH` lookup, no shell).
    case command([String])
    /// `shell = "…"`: run as `/bin/sh -c "…"`.
    case shell(String)
    /// `http = { url = … }`: a health check run by our own helper subcommand.
    case http(HTTPCheck)
}
