public import SchedTime

/// One job as `schedctl list` shows it, on the wire (ARCHITECTURE.md "`schedctl list --json`").
public struct JobInfo: Hashable, Sendable {
    public typealias State = JobStatus.State

    public var id: String
    /// The trigger text as configured (`0 3 * * *`, `every 5m`, `at 2026-12-01T09:00:00Z`).
    public var trigger: String
    public var state: State
    /// The next fire time; nil when none is coming.
    public var next: Instant?
    /// The last finished, skipped or missed run.
    public var last: RunInfo?
    /// Failed, timed-out or killed runs since the last success.
    public var consecutiveFailures: Int
    /// Ids of the runs active now, oldest first.
    public var runningRuns: [RunID]
    /// The HTTP status of the last run of an HTTP check that got one (kept when later firings
    /// were skipped, unlike `last.http_status`).
    public var lastHTTPStatus: Int?

    public init(
        id: String,
        trigger: String,
        state: State,
        next: Instant? = nil,
        last: RunInfo? = nil,
        consecutiveFailures: Int = 0,
        runningRuns: [RunID] = [],
        lastHTTPStatus: Int? = nil
    ) {
        self.id = id
        self.trigger = trigger
        self.state = state
        self.next = next
        self.last = last
        self.consecutiveFailures = consecutiveFailures
        self.runningRuns = runningRuns
        self.lastHTTPStatus = lastHTTPStatus
    }

    /// The wire form of the scheduler's view of a job.
    public init(_ status: JobStatus, lastHTTPStatus: Int? = nil) {
        self.init(
            id: status.id,
            trigger: status.trigger,
            state: status.state,
            next: status.next,
            last: status.last.map(RunInfo.init),
            consecutiveFailures: status.consecutiveFailures,
            runningRuns: status.running,
            lastHTTPStatus: lastHTTPStatus ?? status.lastHTTPStatus
        )
    }

    // MARK: - JSON

    public var json: JSONValue {
        .object([
            ("id", .string(id)),
            ("trigger", .string(trigger)),
            ("state", .string(state.rawValue)),
            ("next", JSONValue(next)),
            ("last", last?.json ?? .null),
            ("consecutive_failures", .integer(Int64(consecutiveFailures))),
            ("running_runs", .array(runningRuns.map { .integer(Int64(truncatingIfNeeded: $0.rawValue)) })),
            ("last_http_status", JSONValue(lastHTTPStatus)),
        ])
    }

    /// The same object as `json`, written straight into `writer`.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        writer.key("trigger")
        writer.string(trigger)
        writer.key("state")
        writer.string(state.rawValue)
        writer.key("next")
        writer.instant(next)
        writer.key("last")
        if let last { last.write(to: &writer) } else { writer.null() }
        writer.key("consecutive_failures")
        writer.integer(consecutiveFailures)
        writer.key("running_runs")
        writer.beginArray()
        for run in runningRuns { writer.integer(Int64(truncatingIfNeeded: run.rawValue)) }
        writer.endArray()
        writer.key("last_http_status")
        writer.integer(lastHTTPStatus)
        writer.endObject()
    }

    public init(json: JSONValue, path: String = "job") throws(ControlProtocolError) {
        let reader = try JSONObjectReader(json, path: path)
        let stateName = try reader.string("state")
        guard let state = State(rawValue: stateName) else {
            throw JSONObjectReader.mismatch("\(path).state", "one of \(State.allCases.map(\.rawValue))")
        }
        let last = try reader.optional("last").map { (value) throws(ControlProtocolError) in
            try RunInfo(json: value, path: "\(path).last")
        }
        let running = try reader.array("running_runs") { (value, elementPath) throws(ControlProtocolError) in
            guard let number = value.integerValue, number >= 0 else {
                throw JSONObjectReader.mismatch(elementPath, "a run id")
            }
            return RunID(rawValue: UInt64(number))
        }
        self.init(
            id: try reader.string("id"),
            trigger: try reader.string("trigger"),
            state: state,
            next: try reader.optionalInstant("next"),
            last: last,
            consecutiveFailures: try reader.optionalInteger("consecutive_failures", as: Int.self) ?? 0,
            runningRuns: running,
            lastHTTPStatus: try reader.optionalInteger("last_http_status", as: Int.self)
        )
    }
}
