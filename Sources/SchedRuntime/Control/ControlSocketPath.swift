import Glibc

/// Where the control socket lives when neither the config (`socket`), `--socket` nor `SCHEDD_SOCKET`
/// says otherwise: `/run/schedd/control.sock` for root, `$XDG_RUNTIME_DIR/schedd/control.sock` for
/// anyone else (falling back to `/run/user/<uid>` when the variable is unset, as pam_systemd sets it).
public enum ControlSocketPath {
    /// The environment variable that overrides the default for `schedctl`.
    public static let environmentVariable = "SCHEDD_SOCKET"

    /// The default path for a process running as `userID` with `environment`.
    public static func defaultPath(userID: UInt32, environment: [String: String]) -> String {
        if userID == 0 { return "/run/schedd/control.sock" }
        let runtime = environment["XDG_RUNTIME_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/run/user/\(userID)"
        return runtime + "/schedd/control.sock"
    }

    /// The default path for this process.
    public static func defaultPath() -> String {
        defaultPath(userID: geteuid(), environment: ProcessEnvironment.all())
    }

    /// The path a client should use: `explicit` (`--socket`), else `SCHEDD_SOCKET`, else the default.
    public static func resolve(
        explicit: String?,
        userID: UInt32? = nil,
        environment: [String: String]? = nil
    ) -> String {
        let environment = environment ?? ProcessEnvironment.all()
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return defaultPath(userID: userID ?? geteuid(), environment: environment)
    }
}
