import SchedCore
import SchedTime
import Testing

@testable import SchedRuntime

/// The environment of run 42 of job `id`, scheduled at 2026-11-28T03:00:00Z.
private func environment(
    _ id: String = "backup",
    env: [EnvironmentVariable] = [],
    attempt: Int = 1,
    account: UserAccount?
) -> [String] {
    JobEnvironment.build(
        jobID: id,
        runID: RunID(rawValue: 42),
        scheduled: Instant(secondsSinceEpoch: 1_795_834_800),
        attempt: attempt,
        variables: env,
        account: account
    )
}

@Suite struct StatusTextTests {
    static let spans: [(Int64, String)] = [
        (0, "<1s"), (45, "45s"), (65, "1m 5s"), (120, "2m"), (3 * 3600 + 2 * 60 + 10, "3h 2m"),
        (3600, "1h"), (2 * 86_400 + 4 * 3600 + 59, "2d 4h"), (86_400 + 30, "1d"), (-5, "<1s"),
    ]

    @Test("spans read in their two largest units", arguments: spans)
    func approximate(seconds: Int64, text: String) {
        #expect(StatusText.approximate(.seconds(seconds)) == text)
    }

    @Test("the summary names the count and the next job")
    func summary() {
        let now = Instant(secondsSinceEpoch: 1_000_000)
        let next = (job: "cleanup_expired_data", at: now + .seconds(3 * 3600 + 2 * 60))
        #expect(
            StatusText.summary(jobCount: 12, next: next, now: now) == "12 jobs; next: cleanup_expired_data in 3h 2m"
        )
        #expect(StatusText.summary(jobCount: 1, next: nil, now: now) == "1 job; nothing scheduled")
    }
}

@Suite struct RuntimePathsTests {
    @Test("root keeps the system paths")
    func rootKeepsPaths() {
        let settings = SchedulerSettings(zone: .utc)
        let adjusted = RuntimePaths.adjusted(settings, isRoot: true, userID: 0, environment: [:])
        #expect(adjusted.stateDirectory == "/var/lib/schedd")
        #expect(adjusted.socketPath == "/run/schedd/control.sock")
    }

    @Test("a user gets XDG state and runtime folders, with fallbacks")
    func userPaths() {
        let settings = SchedulerSettings(zone: .utc)
        let xdg = RuntimePaths.adjusted(
            settings,
            isRoot: false,
            userID: 1000,
            environment: ["XDG_STATE_HOME": "/home/u/.state", "XDG_RUNTIME_DIR": "/run/user/1000/", "HOME": "/home/u"]
        )
        #expect(xdg.stateDirectory == "/home/u/.state/schedd")
        #expect(xdg.socketPath == "/run/user/1000/schedd/control.sock")
        let home = RuntimePaths.adjusted(settings, isRoot: false, userID: 1000, environment: ["HOME": "/home/u"])
        #expect(home.stateDirectory == "/home/u/.local/state/schedd")
        #expect(home.socketPath == "/tmp/schedd-1000/control.sock")
        let relative = RuntimePaths.adjusted(settings, isRoot: false, userID: 7, environment: ["XDG_STATE_HOME": "rel"])
        #expect(relative.stateDirectory == "/tmp/schedd-7/state")
    }

    @Test("paths the config chose itself are kept")
    func explicitPathsKept() {
        var settings = SchedulerSettings(zone: .utc)
        settings.stateDirectory = "/srv/schedd"
        settings.socketPath = "/srv/schedd.sock"
        let adjusted = RuntimePaths.adjusted(settings, isRoot: false, userID: 1000, environment: ["HOME": "/home/u"])
        #expect(adjusted.stateDirectory == "/srv/schedd")
        #expect(adjusted.socketPath == "/srv/schedd.sock")
    }
}

@Suite struct JobEnvironmentTests {
    let account = UserAccount(name: "app", userID: 1000, groupID: 1000, homeDirectory: "/home/app", shell: "/bin/bash")

    @Test("the fixed order: PATH, the user's HOME/USER/LOGNAME/SHELL, env, then SCHEDD_*")
    func order() {
        let environment = environment(
            env: [EnvironmentVariable(name: "MODE", value: "fast")],
            attempt: 2,
            account: account
        )
        #expect(
            environment == [
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/home/app", "USER=app",
                "LOGNAME=app", "SHELL=/bin/bash", "MODE=fast", "SCHEDD_JOB_ID=backup", "SCHEDD_RUN_ID=42",
                "SCHEDD_SCHEDULED_TIME=2026-11-28T03:00:00Z", "SCHEDD_ATTEMPT=2",
            ]
        )
    }

    @Test("env may override PATH and HOME but not the SCHEDD_* variables")
    func overrides() {
        let environment = environment(
            env: [
                EnvironmentVariable(name: "PATH", value: "/opt/bin"),
                EnvironmentVariable(name: "SCHEDD_JOB_ID", value: "spoof"),
            ],
            account: nil
        )
        #expect(environment.first == "PATH=/opt/bin")
        #expect(environment.filter { $0.hasPrefix("PATH=") }.count == 1)
        #expect(environment.contains("SCHEDD_JOB_ID=backup"))
        #expect(!environment.contains { $0.hasPrefix("HOME=") })
    }
}

@Suite struct InMemoryRunHistoryTests {
    private func record(_ job: String, _ number: UInt64) -> RunRecord {
        RunRecord(
            runID: RunID(rawValue: number),
            job: job,
            scheduled: Instant(secondsSinceEpoch: Int64(number)),
            attempt: 1,
            result: .ok
        )
    }

    @Test("keeps the newest `limit` records per job, oldest first")
    func ring() {
        let history = InMemoryRunHistory()
        for number: UInt64 in 1...7 { history.append(record("a", number), limit: 3) }
        history.append(record("b", 100), limit: 3)
        #expect(history.records(job: "a", limit: nil).map(\.runID.rawValue) == [5, 6, 7])
        #expect(history.records(job: "a", limit: 2).map(\.runID.rawValue) == [6, 7])
        #expect(history.records(job: "b", limit: nil).map(\.runID.rawValue) == [100])
        #expect(history.records(job: "none", limit: nil).isEmpty)
    }

    @Test("a limit changed by a reload takes effect on the next append, keeping order")
    func limitChanges() {
        let history = InMemoryRunHistory()
        for number: UInt64 in 1...5 { history.append(record("a", number), limit: 3) }  // [3, 4, 5], wrapped
        history.append(record("a", 6), limit: 5)
        history.append(record("a", 7), limit: 5)
        #expect(history.records(job: "a", limit: nil).map(\.runID.rawValue) == [3, 4, 5, 6, 7])
        history.append(record("a", 8), limit: 2)
        #expect(history.records(job: "a", limit: nil).map(\.runID.rawValue) == [7, 8])
        history.removeJobs(["a"])
        #expect(history.records(job: "a", limit: nil).isEmpty)
    }
}
