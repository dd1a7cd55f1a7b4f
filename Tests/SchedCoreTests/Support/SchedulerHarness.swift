import SchedCore
import SchedCron
import SchedTime

/// Plays the runtime shell for a `SchedulerCore` in virtual time: sleeps straight to the core's
/// next deadline or the next scripted run end, performs every action, and records everything.
///
/// Runs end after a scripted duration with a scripted termination; a run the core stops ends
/// `stopLatency` later with SIGTERM. At equal instants, run ends are delivered before timer
/// expiry, as a shell that drains its pidfds first would.
struct SchedulerHarness {
    /// How one run behaves.
    struct Script {
        var duration: Duration
        var termination: RunOutcome.Termination
        static func succeed(after duration: Duration = .zero) -> Script {
            Script(duration: duration, termination: .exited(code: 0))
        }
        static func fail(after duration: Duration = .zero, code: Int32 = 1) -> Script {
            Script(duration: duration, termination: .exited(code: code))
        }
    }

    /// A start action as it happened.
    struct Start {
        var at: Instant
        var request: RunRequest
    }

    var core: SchedulerCore
    var now: Instant
    var starts: [Start] = []
    var records: [RunRecord] = []
    var stops: [(at: Instant, run: RunID, reason: String)] = []
    /// Every action with the time it was returned, in order.
    var log: [(at: Instant, action: SchedulerAction)] = []
    /// For each entry of `log`, the latest time the harness had reached by then (it differs from
    /// `at` after the clock stepped back).
    var highWaterMarks: [Instant] = []
    private var highWater: Instant
    var stopLatency: Duration = .seconds(1)
    /// Decides how each started run behaves; default: succeed at once.
    var script: (RunRequest) -> Script = { _ in .succeed() }
    /// Runs in flight: id → (end instant, outcome termination, start instant).
    private var inFlight: [RunID: (end: Instant, termination: RunOutcome.Termination, started: Instant)] = [:]

    init(config: ScheduleConfig, now: Instant, seed: UInt64 = 1) {
        core = SchedulerCore(config: config, now: now, random: JitterRandom(seed: seed))
        self.now = now
        highWater = now
    }

    init(jobs: [JobConfig], now: Instant, maxConcurrent: Int = 1_000_000, seed: UInt64 = 1) {
        self.init(config: SchedulerFixture.config(jobs, maxConcurrent: maxConcurrent), now: now, seed: seed)
    }

    // MARK: - Driving

    /// Daemon start (`@reboot`).
    mutating func startDaemon() {
        perform(core.start(now: now))
    }

    /// Runs virtual time up to and including `end`, jumping from event to event.
    mutating func run(until end: Instant) {
        while true {
            let deadline = core.nextDeadline
            let finish = inFlight.min { ($0.value.end, $0.key) < ($1.value.end, $1.key) }
            var next = deadline
            if let finish { next = next.map { min($0, finish.value.end) } ?? finish.value.end }
            guard let next, next <= end else { break }
            now = max(now, next)
            if let finish, finish.value.end <= now {
                finishRun(finish.key)
            } else {
                perform(core.advance(to: now))
            }
        }
        now = max(now, end)
        perform(core.advance(to: now))
    }

    /// Runs for `duration` of virtual time.
    mutating func run(for duration: Duration) {
        run(until: now + duration)
    }

    /// The wall clock is set to `instant` (either direction).
    mutating func stepClock(to instant: Instant) {
        let shift = instant - now
        now = instant
        // Runs in flight measure their duration on the monotonic clock: shift their end with the wall clock.
        for (id, entry) in inFlight {
            inFlight[id] = (entry.end + shift, entry.termination, entry.started + shift)
        }
        perform(core.clockStepped(to: instant))
    }

    mutating func runNow(_ id: String, force: Bool = false) throws(SchedulerError) -> RunID {
        let (runID, actions) = try core.runNow(jobID: id, force: force, now: now)
        perform(actions)
        return runID
    }

    mutating func apply(_ config: ScheduleConfig) -> ConfigDiff {
        let (diff, actions) = core.apply(config: config, now: now)
        perform(actions)
        return diff
    }

    mutating func pause(_ id: String) throws(SchedulerError) {
        perform(try core.pause(jobID: id, now: now))
    }

    mutating func resume(_ id: String) throws(SchedulerError) {
        perform(try core.resume(jobID: id, now: now))
    }

    mutating func perform(_ actions: [SchedulerAction]) {
        highWater = max(highWater, now)
        for action in actions {
            log.append((now, action))
            highWaterMarks.append(highWater)
            switch action {
            case .start(let request):
                starts.append(Start(at: now, request: request))
                let behaviour = script(request)
                inFlight[request.runID] = (now + behaviour.duration, behaviour.termination, now)
            case .stop(let run, let reason):
                stops.append((now, run, reason))
                if let entry = inFlight[run] {
                    inFlight[run] = (min(entry.end, now + stopLatency), .signaled(signal: 15), entry.started)
                }
            case .record(let record):
                records.append(record)
            }
        }
    }

    private mutating func finishRun(_ id: RunID) {
        guard let entry = inFlight.removeValue(forKey: id) else { return }
        let outcome = RunOutcome(termination: entry.termination, started: entry.started, finished: now)
        perform(core.runFinished(id, outcome: outcome, now: now))
    }

    // MARK: - Views

    func starts(of job: String) -> [Start] { starts.filter { $0.request.jobID == job } }
    func records(of job: String) -> [RunRecord] { records.filter { $0.job == job } }
    func records(of job: String, result: RunResult) -> [RunRecord] {
        records.filter { $0.job == job && $0.result == result }
    }
    var runningCount: Int { inFlight.count }
}

/// Builds jobs and configs for scheduler tests.
enum SchedulerFixture {
    /// 2026-01-01T00:00:00Z, a Thursday.
    static let newYear = Instant(secondsSinceEpoch: 1_767_225_600)

    static let settings = SchedulerSettings(zone: .utc)
    static let location = SourceLocation(file: "schedules.toml", line: 1, column: 1)

    static func config(_ jobs: [JobConfig], maxConcurrent: Int = 1_000_000) -> ScheduleConfig {
        var settings = settings
        settings.maxConcurrent = maxConcurrent
        return ScheduleConfig(settings: settings, jobs: jobs, files: ["schedules.toml"])
    }

    static func job(_ id: String, trigger: Trigger, text: String, zone: Zone = .utc) -> JobConfig {
        var job = JobConfig(
            id: id,
            trigger: trigger,
            triggerText: text,
            action: .command(["/bin/true"]),
            settings: settings,
            location: location
        )
        job.zone = zone
        return job
    }

    /// A cron job; `H` is seeded with the id, the DST policy is the expression's default.
    static func cron(_ id: String, _ text: String, zone: Zone = .utc) -> JobConfig {
        guard let expression = try? CronExpression(parsing: text, hashSeed: id) else {
            preconditionFailure("bad fixture cron \(text)")
        }
        return job(
            id,
            trigger: .cron(expression, zone: zone, policy: expression.defaultDSTPolicy),
            text: text,
            zone: zone
        )
    }

    static func every(_ id: String, _ interval: Duration, start: Instant? = nil) -> JobConfig {
        var config = job(id, trigger: .every(interval, anchor: start), text: "every \(DurationText.format(interval))")
        config.start = start
        return config
    }

    static func at(_ id: String, _ instant: Instant) -> JobConfig {
        job(id, trigger: .at(instant), text: "at \(RFC3339.format(instant))")
    }

    static func instant(_ text: String) -> Instant {
        guard let instant = RFC3339.parse(text) else { preconditionFailure("bad fixture time \(text)") }
        return instant
    }

    static func zone(_ name: String) -> Zone {
        guard let zone = try? Zone.named(name) else { preconditionFailure("zone \(name) not installed") }
        return zone
    }

    /// The trigger's own fire-time sequence after `from` up to `end`, from `JobConfig.nextFire`
    /// (an `every` job without `start` counts from `from`, where the core added it).
    static func expectedFirings(of job: JobConfig, from: Instant, through end: Instant) -> [Instant] {
        var result: [Instant] = []
        var cursor = job.nextFire(after: from)
        while let fire = cursor, fire <= end {
            result.append(fire)
            cursor = job.nextFire(after: fire)
        }
        return result
    }
}
