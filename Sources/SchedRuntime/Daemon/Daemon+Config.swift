public import SchedCore
public import SchedTime

// MARK: - Loading the config

extension Daemon {
    /// The config loader the daemon, `--check` and reload share: the real file system and the
    /// system zone.
    static func makeLoader() -> ConfigLoader {
        ConfigLoader(fileSystem: LocalConfigFileSystem(), systemZone: Zone.system())
    }

    /// Loads `path` as the daemon would, with the non-root path defaults applied (`RuntimePaths`).
    public static func loadConfig(
        path: String,
        environment: [String: String] = ProcessEnvironment.all(),
        now: Instant = WallClock.now()
    ) -> ConfigLoadResult {
        adjust(makeLoader().load(path: path, now: now), environment: environment)
    }

    static func adjust(_ result: ConfigLoadResult, environment: [String: String]) -> ConfigLoadResult {
        var result = result
        if var config = result.config {
            config.settings = RuntimePaths.adjusted(
                config.settings,
                isRoot: CurrentUser.isRoot,
                userID: CurrentUser.userID,
                environment: environment
            )
            result.config = config
        }
        return result
    }

    /// A stderr logger in the config's `log_format` (`$JOURNAL_STREAM` adds priority prefixes).
    static func makeLogger(_ settings: SchedulerSettings, environment: [String: String]) -> Logger {
        Logger.standardError(format: LogFormat(configured: settings.logFormat), environment: environment)
    }

    /// Logs every diagnostic of a load, one line each: `diagnostic` carries the compiler-style
    /// headline `file:line:column: error: …`.
    public func logDiagnostics(_ diagnostics: [ConfigDiagnostic]) {
        for diagnostic in diagnostics {
            let level: LogLevel =
                switch diagnostic.severity {
                case .error: .error
                case .warning: .warning
                case .note: .info
                }
            logger.log(
                level,
                "config_\(diagnostic.severity.rawValue)",
                fields: [("diagnostic", .string(diagnostic.headline))]
            )
        }
    }

    /// Warns about jobs that cannot run as configured because of how the daemon runs: a `user` or
    /// `group` needs root. (The config stays valid so the example schedule loads anywhere; such runs
    /// fail with the same reason.)
    func logConfigWarnings(_ config: ScheduleConfig) {
        for job in config.jobs {
            if let reason = identityProblem(user: job.user, group: job.group) {
                logger.warning("job_cannot_run", ["job": .string(job.id), "reason": .string(reason)])
            }
        }
    }

    /// Why a job with `user`/`group` cannot run under this daemon, or nil when it can as far as the
    /// daemon's own identity goes (unknown users are found at start time).
    func identityProblem(user: String?, group: String?) -> String? {
        guard !isRoot else { return nil }
        if let user, user != daemonAccount?.name {
            return "cannot run as user '\(user)': schedd is not running as root"
        }
        if let group {
            return "cannot run as group '\(group)': schedd is not running as root"
        }
        return nil
    }
}
