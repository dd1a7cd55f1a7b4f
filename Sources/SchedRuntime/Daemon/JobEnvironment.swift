public import SchedCore
public import SchedTime

/// Builds a job's environment exactly as ARCHITECTURE.md fixes it ("Job environment"):
/// `PATH` (unless `env` sets it), `HOME`, `USER`, `LOGNAME`, `SHELL` of the user the job runs as, then
/// the job's `env`, then `SCHEDD_JOB_ID`, `SCHEDD_RUN_ID`, `SCHEDD_SCHEDULED_TIME`, `SCHEDD_ATTEMPT`.
///
/// Nothing of the daemon's own environment leaks in. A later assignment of the same name replaces an
/// earlier one in place, so the result has each name once.
public enum JobEnvironment {
    public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// `KEY=value` strings for `request`, run as `account` (nil: the daemon's user is unknown, so
    /// `HOME` and friends are left out).
    public static func build(for request: RunRequest, account: UserAccount?) -> [String] {
        build(
            jobID: request.jobID,
            runID: request.runID,
            scheduled: request.scheduled,
            attempt: request.attempt,
            variables: request.config.environment,
            account: account
        )
    }

    /// `KEY=value` strings from the parts of a run request.
    public static func build(
        jobID: String,
        runID: RunID,
        scheduled: Instant,
        attempt: Int,
        variables: [EnvironmentVariable],
        account: UserAccount?
    ) -> [String] {
        var names: [String] = []
        var values: [String: String] = [:]
        func set(_ name: String, _ value: String) {
            if values.updateValue(value, forKey: name) == nil { names.append(name) }
        }
        set("PATH", defaultPath)
        if let account {
            set("HOME", account.homeDirectory)
            set("USER", account.name)
            set("LOGNAME", account.name)
            set("SHELL", account.shell.isEmpty ? "/bin/sh" : account.shell)
        }
        for variable in variables {
            set(variable.name, variable.value)
        }
        set("SCHEDD_JOB_ID", jobID)
        set("SCHEDD_RUN_ID", runID.description)
        set("SCHEDD_SCHEDULED_TIME", RFC3339.format(scheduled))
        set("SCHEDD_ATTEMPT", String(attempt))
        return names.map { "\($0)=\(values[$0] ?? "")" }
    }
}
