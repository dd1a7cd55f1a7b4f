import SchedCore
import SchedTestSupport
import SchedTime
import Testing

/// The registry fed by a real `SchedulerCore` in virtual time (through `SchedulerHarness`), then
/// rendered and read back with a strict exposition parser.
@Suite struct MetricsRegistryTests {
    static let t0 = SchedulerFixture.newYear

    static func at(_ seconds: Double) -> String {
        PrometheusText.seconds(t0 + .milliseconds(Int64(seconds * 1000)))
    }

    /// The known sequence (max_concurrent = 1, all times in seconds after t0):
    /// - `a` every 10 s: the run at 10 succeeds after 2 s, at 20 fails after 0.5 s, at 30 times out after 5 s;
    /// - `late` at 31: waits for the slot until 35 (lateness 4 s), succeeds after 1 s;
    /// - `m` at 32 with misfire_grace 1 s: still waiting at 36, so missed;
    /// - `s` at 33, paused at 34: skipped when its turn comes at 36.
    static func knownSequence() -> (MetricsRegistry, SchedulerHarness) {
        var late = SchedulerFixture.at("late", t0 + .seconds(31))
        late.misfireGrace = .seconds(60)
        var missed = SchedulerFixture.at("m", t0 + .seconds(32))
        missed.misfireGrace = .seconds(1)
        var skipped = SchedulerFixture.at("s", t0 + .seconds(33))
        skipped.misfireGrace = .seconds(60)
        let jobs = [SchedulerFixture.every("a", .seconds(10)), late, missed, skipped]
        var harness = SchedulerHarness(jobs: jobs, now: t0, maxConcurrent: 1)
        harness.script = { request in
            switch (request.jobID, (request.scheduled - t0).totalNanoseconds / 1_000_000_000) {
            case ("a", 10): .succeed(after: .seconds(2))
            case ("a", 20): .fail(after: .milliseconds(500))
            case ("a", 30): SchedulerHarness.Script(duration: .seconds(5), termination: .timedOut(signal: 15))
            default: .succeed(after: .seconds(1))
            }
        }
        harness.run(until: t0 + .seconds(34))
        try! harness.pause("s")
        harness.run(until: t0 + .seconds(36))

        var registry = MetricsRegistry(version: "1.2.3")
        registry.configLoaded(at: t0)
        for entry in harness.log {
            registry.observe([entry.action], at: entry.at)
        }
        registry.update(statuses: harness.core.jobStatuses)
        return (registry, harness)
    }

    @Test("every value after a known sequence of runs, skips and misses")
    func knownValues() throws {
        let (registry, harness) = Self.knownSequence()
        #expect(harness.records.map(\.result) == [.ok, .failed, .timeout, .ok, .missed, .skipped])
        let exposition = try Exposition(registry.render())
        try exposition.checkHistograms()
        let v = { (name: String, labels: KeyValuePairs<String, String>) in exposition.value(name, labels) }

        // Runs by result: every result present for every job.
        let expectedRuns: [String: [RunResult: Int]] = [
            "a": [.ok: 1, .failed: 1, .timeout: 1],
            "late": [.ok: 1],
            "m": [.missed: 1],
            "s": [.skipped: 1],
        ]
        for (job, counts) in expectedRuns {
            for result in RunResult.allCases {
                #expect(
                    v(MetricName.jobRunsTotal, ["job": job, "result": result.rawValue]) == String(counts[result] ?? 0),
                    "\(job) \(result)"
                )
            }
        }

        // Timestamps (exact decimals), 0 for never.
        #expect(v(MetricName.jobLastRunStartTimestamp, ["job": "a"]) == Self.at(30))
        #expect(v(MetricName.jobLastRunEndTimestamp, ["job": "a"]) == Self.at(35))
        #expect(v(MetricName.jobLastSuccessTimestamp, ["job": "a"]) == Self.at(12))
        #expect(v(MetricName.jobLastSuccessTimestamp, ["job": "late"]) == Self.at(36))
        #expect(v(MetricName.jobLastRunStartTimestamp, ["job": "m"]) == "0")
        #expect(v(MetricName.jobLastSuccessTimestamp, ["job": "m"]) == "0")
        #expect(v(MetricName.jobNextFireTimestamp, ["job": "a"]) == Self.at(40))
        #expect(v(MetricName.jobNextFireTimestamp, ["job": "late"]) == "0")

        // Durations 2, 0.5 and 5 s: 0.5 and 5 sit exactly on bounds and count in them (le is inclusive).
        let aDuration: [(String, String)] = [
            ("0.1", "0"), ("0.25", "0"), ("0.5", "1"), ("1", "1"), ("2.5", "2"), ("5", "3"), ("10", "3"),
            ("14400", "3"), ("+Inf", "3"),
        ]
        for (le, count) in aDuration {
            #expect(v(MetricName.jobDuration + "_bucket", ["job": "a", "le": le]) == count, "le=\(le)")
        }
        #expect(v(MetricName.jobDuration + "_sum", ["job": "a"]) == "7.5")
        #expect(v(MetricName.jobDuration + "_count", ["job": "a"]) == "3")
        #expect(v(MetricName.jobDuration + "_count", ["job": "m"]) == "0")

        // Lateness: `a` started on time three times; `late` waited 4 s for the slot.
        #expect(v(MetricName.jobLateness + "_bucket", ["job": "a", "le": "0.001"]) == "3")
        #expect(v(MetricName.jobLateness + "_sum", ["job": "a"]) == "0")
        #expect(v(MetricName.jobLateness + "_bucket", ["job": "late", "le": "1"]) == "0")
        #expect(v(MetricName.jobLateness + "_bucket", ["job": "late", "le": "5"]) == "1")
        #expect(v(MetricName.jobLateness + "_sum", ["job": "late"]) == "4")
        #expect(v(MetricName.jobLateness + "_count", ["job": "m"]) == "0")

        // Gauges from the statuses.
        #expect(v(MetricName.jobConsecutiveFailures, ["job": "a"]) == "2")
        #expect(v(MetricName.jobRunning, ["job": "a"]) == "0")
        #expect(v(MetricName.jobs, ["state": "scheduled"]) == "3")
        #expect(v(MetricName.jobs, ["state": "paused"]) == "1")
        #expect(v(MetricName.jobs, ["state": "running"]) == "0")
        #expect(v(MetricName.jobs, ["state": "disabled"]) == "0")

        // Daemon-wide.
        #expect(v(MetricName.reloadsTotal, ["result": "ok"]) == "0")
        #expect(v(MetricName.reloadsTotal, ["result": "failed"]) == "0")
        #expect(v(MetricName.lastReloadSuccessful, [:]) == "1")
        #expect(v(MetricName.lastReloadSuccessTimestamp, [:]) == Self.at(0))
        #expect(v(MetricName.buildInfo, ["version": "1.2.3"]) == "1")
    }

    @Test("every fixed metric name has HELP and TYPE, with the documented type")
    func familiesAndTypes() throws {
        let exposition = try Exposition(Self.knownSequence().0.render())
        let expected: [String: String] = [
            "schedd_job_runs_total": "counter",
            "schedd_job_last_success_timestamp_seconds": "gauge",
            "schedd_job_last_run_start_timestamp_seconds": "gauge",
            "schedd_job_last_run_end_timestamp_seconds": "gauge",
            "schedd_job_next_fire_timestamp_seconds": "gauge",
            "schedd_job_duration_seconds": "histogram",
            "schedd_job_lateness_seconds": "histogram",
            "schedd_job_running": "gauge",
            "schedd_job_consecutive_failures": "gauge",
            "schedd_jobs": "gauge",
            "schedd_reloads_total": "counter",
            "schedd_last_reload_successful": "gauge",
            "schedd_last_reload_success_timestamp_seconds": "gauge",
            "schedd_build_info": "gauge",
        ]
        #expect(exposition.types == expected)
        #expect(expected.keys.allSatisfy { !(exposition.helps[$0] ?? "").isEmpty })
    }

    @Test("a running job shows in the running gauge and the running state")
    func runningGauge() throws {
        var harness = SchedulerHarness(jobs: [SchedulerFixture.every("slow", .seconds(10))], now: Self.t0)
        harness.script = { _ in .succeed(after: .seconds(100)) }
        harness.run(until: Self.t0 + .seconds(15))
        var registry = MetricsRegistry(version: "x")
        for entry in harness.log { registry.observe([entry.action], at: entry.at) }
        registry.update(statuses: harness.core.jobStatuses)
        let exposition = try Exposition(registry.render())
        #expect(exposition.value(MetricName.jobRunning, ["job": "slow"]) == "1")
        #expect(exposition.value(MetricName.jobs, ["state": "running"]) == "1")
        #expect(exposition.value(MetricName.jobLastRunStartTimestamp, ["job": "slow"]) == Self.at(10))
        #expect(exposition.value(MetricName.jobLastRunEndTimestamp, ["job": "slow"]) == "0")
    }

    @Test("a summary record counts once per firing it stands for")
    func summaryRecordCountsFirings() throws {
        var registry = MetricsRegistry(version: "x")
        var record = RunRecord(runID: RunID(rawValue: 7), job: "j", scheduled: Self.t0, attempt: 1, result: .missed)
        record.firings = 42
        registry.recorded(record)
        let exposition = try Exposition(registry.render())
        #expect(exposition.value(MetricName.jobRunsTotal, ["job": "j", "result": "missed"]) == "42")
    }

    @Test("reloads: counts by result, last success flag and timestamp")
    func reloads() throws {
        var registry = MetricsRegistry(version: "x")
        registry.configLoaded(at: Self.t0)
        registry.reloadSucceeded(at: Self.t0 + .seconds(5))
        registry.reloadFailed()
        registry.reloadFailed()
        var exposition = try Exposition(registry.render())
        #expect(exposition.value(MetricName.reloadsTotal, ["result": "ok"]) == "1")
        #expect(exposition.value(MetricName.reloadsTotal, ["result": "failed"]) == "2")
        #expect(exposition.value(MetricName.lastReloadSuccessful) == "0")
        #expect(exposition.value(MetricName.lastReloadSuccessTimestamp) == Self.at(5))
        registry.reloadSucceeded(at: Self.t0 + .milliseconds(7_250))
        exposition = try Exposition(registry.render())
        #expect(exposition.value(MetricName.lastReloadSuccessful) == "1")
        #expect(exposition.value(MetricName.lastReloadSuccessTimestamp) == Self.at(7.25))
    }

    @Test("jobs gone from the statuses are dropped; a job's last run from before a restart is adopted")
    func pruneAndAdopt() throws {
        var registry = MetricsRegistry(version: "x")
        registry.recorded(
            RunRecord(runID: RunID(rawValue: 1), job: "gone", scheduled: Self.t0, attempt: 1, result: .ok)
        )
        var harness = SchedulerHarness(jobs: [SchedulerFixture.every("kept", .seconds(10))], now: Self.t0)
        harness.run(until: Self.t0 + .seconds(10))
        // Only the statuses (whose last run says ok at t0+10), none of the events.
        registry.update(statuses: harness.core.jobStatuses)
        let exposition = try Exposition(registry.render())
        #expect(!exposition.order.contains { $0.contains("\"gone\"") })
        #expect(exposition.value(MetricName.jobLastSuccessTimestamp, ["job": "kept"]) == Self.at(10))
        #expect(exposition.value(MetricName.jobRunsTotal, ["job": "kept", "result": "ok"]) == "0")
    }

    @Test("label values escape backslash, quote and newline; HELP text stays one line")
    func escaping() throws {
        var registry = MetricsRegistry(version: "v\"1\"\\beta\nnext")
        registry.recorded(
            RunRecord(runID: RunID(rawValue: 1), job: "we\"ird\\job\nname", scheduled: Self.t0, attempt: 1, result: .ok)
        )
        let text = registry.render()
        #expect(text.contains(#"schedd_build_info{version="v\"1\"\\beta\nnext"} 1"#))
        #expect(text.contains(#"schedd_job_runs_total{job="we\"ird\\job\nname",result="ok"} 1"#))
        let exposition = try Exposition(text)
        #expect(exposition.labels.values.contains { $0.contains { $0.1 == "we\"ird\\job\nname" } })
        #expect(PrometheusText.escapedHelp("a\\b\nc") == #"a\\b\nc"#)
    }

    @Test(
        "exact decimal seconds",
        arguments: [
            (Int64(0), "0"), (1_000_000, "0.001"), (2_500_000_000, "2.5"), (60_000_000_000, "60"),
            (1_795_834_800_123_000_000, "1795834800.123"), (1, "0.000000001"), (-1_500_000_000, "-1.5"),
        ]
    )
    func decimalSeconds(nanoseconds: Int64, expected: String) {
        #expect(PrometheusText.seconds(Duration.nanoseconds(nanoseconds)) == expected)
    }
}

@Suite struct HistogramTests {
    @Test("bucket membership is inclusive of the upper bound; above the last bound only +Inf counts")
    func boundaries() {
        var histogram = Histogram(upperBounds: [.milliseconds(10), .seconds(1)])
        for value: Duration in [
            .zero, .milliseconds(10), .nanoseconds(10_000_001), .seconds(1), .seconds(2), .seconds(-3),
        ] {
            histogram.observe(value)
        }
        // 0, 10 ms and the negative (counted as 0) in the first; 10 ms + 1 ns and 1 s in the second.
        #expect(histogram.bucketCounts == [3, 2])
        #expect(histogram.count == 6)
        #expect(histogram.sum == .nanoseconds(3_020_000_001))
        var text = PrometheusText()
        text.histogram("h", PrometheusText.Labels(["job": "j"]), histogram)
        #expect(
            text.text == """
                h_bucket{job="j",le="0.01"} 3
                h_bucket{job="j",le="1"} 5
                h_bucket{job="j",le="+Inf"} 6
                h_sum{job="j"} 3.020000001
                h_count{job="j"} 6

                """
        )
    }

    @Test("the default bounds ascend strictly")
    func defaultBounds() {
        for bounds in [Histogram.runDurationBounds, Histogram.latenessBounds] {
            #expect(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 })
        }
    }
}
