public import SchedCore

/// Where the daemon keeps its state and control socket when it does not run as root.
///
/// The config's defaults (`/var/lib/schedd`, `/run/schedd/control.sock`) are system paths an
/// ordinary user cannot create. When schedd runs unprivileged and the config names exactly those
/// paths (written out or by default, as the example `schedules.toml` does), they are moved to the
/// user's XDG folders instead, so `schedd --config schedules.toml` works from a checkout:
/// `$XDG_STATE_HOME/schedd` (default `~/.local/state/schedd`) and `$XDG_RUNTIME_DIR/schedd/control.sock`
/// (default `/tmp/schedd-UID/control.sock`). Any other path is kept as written.
public enum RuntimePaths {
    public static let systemStateDirectory = "/var/lib/schedd"
    public static let systemSocketPath = "/run/schedd/control.sock"

    /// `settings` with the system default paths replaced for a non-root daemon.
    public static func adjusted(
        _ settings: SchedulerSettings,
        isRoot: Bool,
        userID: UInt32,
        environment: [String: String]
    ) -> SchedulerSettings {
        guard !isRoot else { return settings }
        var settings = settings
        if settings.stateDirectory == systemStateDirectory {
            settings.stateDirectory = userStateDirectory(userID: userID, environment: environment)
        }
        if settings.socketPath == systemSocketPath {
            settings.socketPath = userSocketPath(userID: userID, environment: environment)
        }
        return settings
    }

    /// `$XDG_STATE_HOME/schedd`, else `$HOME/.local/state/schedd`, else `/tmp/schedd-UID/state`.
    public static func userStateDirectory(userID: UInt32, environment: [String: String]) -> String {
        if let state = nonEmptyAbsolute(environment["XDG_STATE_HOME"]) { return state + "/schedd" }
        if let home = nonEmptyAbsolute(environment["HOME"]) { return home + "/.local/state/schedd" }
        return "/tmp/schedd-\(userID)/state"
    }

    /// `$XDG_RUNTIME_DIR/schedd/control.sock`, else `/tmp/schedd-UID/control.sock`.
    public static func userSocketPath(userID: UInt32, environment: [String: String]) -> String {
        if let runtime = nonEmptyAbsolute(environment["XDG_RUNTIME_DIR"]) { return runtime + "/schedd/control.sock" }
        return "/tmp/schedd-\(userID)/control.sock"
    }

    /// The XDG spec says relative values are invalid and must be ignored.
    private static func nonEmptyAbsolute(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/") else { return nil }
        return value.count > 1 && value.hasSuffix("/") ? String(value.dropLast()) : value
    }
}
