public import SchedTime

/// The daemon's summary (`schedctl status`, ARCHITECTURE.md "`schedctl status --json`").
public struct StatusInfo: Hashable, Sendable {
    public var version: String
    public var processID: Int32
    /// Whole seconds since the daemon started.
    public var uptimeSeconds: Int64
    /// The main config file's path.
    public var configPath: String
    /// Number of jobs configured (any state).
    public var jobs: Int
    /// Runs active now.
    public var running: Int
    /// The earliest upcoming fire time of any job, and that job.
    public var next: Instant?
    public var nextJob: String?

    public init(
        version: String,
        processID: Int32,
        uptimeSeconds: Int64,
        configPath: String,
        jobs: Int,
        running: Int,
        next: Instant? = nil,
        nextJob: String? = nil
    ) {
        self.version = version
        self.processID = processID
        self.uptimeSeconds = uptimeSeconds
        self.configPath = configPath
        self.jobs = jobs
        self.running = running
        self.next = next
        self.nextJob = nextJob
    }

    public var json: JSONValue {
        .object([
            ("version", .string(version)),
            ("pid", .integer(Int64(processID))),
            ("uptime_s", .integer(uptimeSeconds)),
            ("config", .string(configPath)),
            ("jobs", .integer(Int64(jobs))),
            ("running", .integer(Int64(running))),
            ("next", JSONValue(next)),
            ("next_job", JSONValue(nextJob)),
        ])
    }

    public init(json: JSONValue, path: String = "status") throws(ControlProtocolError) {
        let reader = try JSONObjectReader(json, path: path)
        self.init(
            version: try reader.string("version"),
            processID: try reader.integer("pid", as: Int32.self),
            uptimeSeconds: try reader.integer("uptime_s"),
            configPath: try reader.string("config"),
            jobs: try reader.integer("jobs", as: Int.self),
            running: try reader.integer("running", as: Int.self),
            next: try reader.optionalInstant("next"),
            nextJob: try reader.optionalString("next_job")
        )
    }
}
