/// Facts about this build that `--version`, `schedctl status` and `schedd_build_info` report.
public enum BuildInfo {
    /// The release version of schedd and schedctl.
    public static let version = "0.1.0"
}
