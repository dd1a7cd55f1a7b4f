import SchedCore
import SchedCron
import SchedTime
import Testing

/// A year of virtual time with hundreds of jobs of every trigger kind in four zones: every firing
/// is checked against the trigger's own fire-time sequence.
@Suite struct SchedulerYearTests {
    static let zoneNames = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]
    /// Cron texts covering fixed-time and wildcard DST handling, `L`, `#`, `W`, leap days and `H`.
    static let cronTexts = [
        "30 2 * * *", "0 2 * * *", "15 1 * * *", "*/20 2 * * *", "0,30 1-3 * * *", "0 */6 * * *",
        "H H * * *", "H 9-17/4 * * 1-5", "0 0 L * *", "0 12 ? * 5#2", "0 8 15W * *", "0 0 29 2 *",
        "30 2 * * 0", "@weekly", "@monthly", "*/45 2-3 * * *",
    ]

    /// Builds the job set: cron jobs per zone (with and without `start`/`end`), `every` jobs with
    /// and without an anchor, and `at` jobs inside, before and after the year.
    static func jobs(start: Instant) -> [JobConfig] {
        var jobs: [JobConfig] = []
        for zoneName in zoneNames {
            let zone = SchedulerFixture.zone(zoneName)
            for (index, text) in cronTexts.enumerated() {
                for variant in 0..<3 {
                    var job = SchedulerFixture.cron("c-\(zoneName)-\(index)-\(variant)", text, zone: zone)
                    if variant == 1 { job.start = start + .seconds(86_400 * 40 + 1_234) }
                    if variant == 2 { job.end = start + .seconds(86_400 * 200 + 17) }
                    jobs.append(job)
                }
            }
        }
        let intervals: [Duration] = [
            .seconds(47 * 60), .seconds(3_600), .seconds(5_400 + 7), .seconds(13 * 3_600), .seconds(86_400),
        ]
        for (index, interval) in intervals.enumerated() {
            for variant in 0..<4 {
                var job: JobConfig
                switch variant {
                case 0: job = SchedulerFixture.every("e-\(index)-\(variant)", interval)
                case 1: job = SchedulerFixture.every("e-\(index)-\(variant)", interval, start: start + .seconds(12_345))
                case 2: job = SchedulerFixture.every("e-\(index)-\(variant)", interval, start: start - .seconds(999))
                default:
                    job = SchedulerFixture.every("e-\(index)-\(variant)", interval)
                    job.end = start + .seconds(86_400 * 100)
                }
                jobs.append(job)
            }
        }
        for day in stride(from: -5, through: 370, by: 15) {
            jobs.append(SchedulerFixture.at("a\(day)", start + .seconds(Int64(day) * 86_400 + 3_723)))
        }
        return jobs
    }

    @Test("a year of firings matches every trigger's own sequence: none lost, duplicated or early")
    func yearOfFirings() throws {
        let start = SchedulerFixture.newYear
        let end = start + .seconds(366 * 86_400)
        let jobs = Self.jobs(start: start)
        #expect(jobs.count > 200)
        var harness = SchedulerHarness(jobs: jobs, now: start)
        harness.script = { _ in .succeed(after: .seconds(1)) }
        harness.run(until: end)

        var byJob: [String: [SchedulerHarness.Start]] = [:]
        for start in harness.starts { byJob[start.request.jobID, default: []].append(start) }
        var total = 0
        for job in jobs {
            let expected = SchedulerFixture.expectedFirings(of: job, from: start, through: end)
            let actual = byJob[job.id] ?? []
            total += actual.count
            let scheduled = actual.map(\.request.scheduled)
            #expect(scheduled.count == expected.count, "job \(job.id)")
            if let (index, pair) = zip(scheduled, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })
            {
                let message = "job \(job.id): firing \(index) at \(RFC3339.format(pair.0)), "
                Issue.record(Comment(rawValue: message + "expected \(RFC3339.format(pair.1))"))
            }
            for run in actual {
                // Started at the scheduled instant, rounded up to the millisecond; never early.
                #expect(run.at >= run.request.scheduled, "job \(job.id) early")
                #expect(run.at - run.request.scheduled < .milliseconds(1), "job \(job.id) late")
            }
        }
        #expect(total > 50_000)
        #expect(harness.records.allSatisfy { $0.result == .ok }, "no skipped or missed firing in a calm year")
        #expect(harness.records.count + harness.runningCount == total)
    }

    @Test(
        "cron firings in the zones' DST transitions",
        arguments: [
            // Berlin springs forward 2026-03-29 02:00 → 03:00: a fixed-time 02:30 fires at 03:00 local.
            ("Europe/Berlin", "30 2 * * *", "2026-03-28T12:00:00Z", ["2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"]),
            // Berlin falls back 2026-10-25 03:00 → 02:00: a fixed-time 02:30 fires at its first pass only.
            ("Europe/Berlin", "30 2 * * *", "2026-10-24T12:00:00Z", ["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"]),
            // A wildcard expression fires in both passes of the repeated hour.
            (
                "Europe/Berlin", "*/30 2 * * *", "2026-10-24T12:00:00Z",
                ["2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z"]
            ),
            // New York springs forward 2026-03-08 02:00 → 03:00.
            (
                "America/New_York", "30 2 * * *", "2026-03-07T12:00:00Z",
                ["2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"]
            ),
            // Lord Howe shifts by 30 minutes: 2026-10-04 02:00 → 02:30.
            (
                "Australia/Lord_Howe", "15 2 * * *", "2026-10-03T00:00:00Z",
                ["2026-10-03T15:30:00Z", "2026-10-04T15:15:00Z"]
            ),
        ]
    )
    func dstTransitions(zoneName: String, text: String, from: String, expected: [String]) {
        let zone = SchedulerFixture.zone(zoneName)
        let job = SchedulerFixture.cron("dst", text, zone: zone)
        let start = SchedulerFixture.instant(from)
        var harness = SchedulerHarness(jobs: [job], now: start)
        let last = SchedulerFixture.instant(expected[expected.count - 1])
        harness.run(until: last)
        #expect(harness.starts.map { RFC3339.format($0.request.scheduled) } == expected)
    }
}
