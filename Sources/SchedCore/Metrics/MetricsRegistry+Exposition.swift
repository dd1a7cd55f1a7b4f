import SchedTime

// MARK: - Prometheus text

extension MetricsRegistry {
    /// The whole exposition in the Prometheus text format (version 0.0.4), ending with a newline.
    ///
    /// Families come in a fixed order, jobs sorted by id; see the design note in MetricsRegistry.swift.
    public func render() -> String {
        var out = PrometheusText()
        let ids = jobs.keys.sorted()
        let entries = ids.map { ($0, jobs[$0]!) }

        out.family(MetricName.jobRunsTotal, .counter, help: "Runs ended and firings skipped or missed, by result.")
        for (id, job) in entries {
            for result in RunResult.allCases {
                out.sample(MetricName.jobRunsTotal, ["job": id, "result": result.rawValue], String(job.runs(result)))
            }
        }

        timestampFamily(&out, MetricName.jobLastRunStartTimestamp, "Start of the last run (0: never).", entries) {
            $0.lastRunStart
        }
        timestampFamily(&out, MetricName.jobLastRunEndTimestamp, "End of the last run (0: never).", entries) {
            $0.lastRunEnd
        }
        timestampFamily(
            &out,
            MetricName.jobLastSuccessTimestamp,
            "End of the last successful run (0: never).",
            entries
        ) { $0.lastSuccess }
        timestampFamily(
            &out,
            MetricName.jobNextFireTimestamp,
            "Next nominal fire time (0: none coming: paused, disabled, spent or ended).",
            entries
        ) { $0.nextFire }

        out.family(MetricName.jobDuration, .histogram, help: "Run time of runs that started, in seconds.")
        for (id, job) in entries {
            out.histogram(MetricName.jobDuration, [("job", id)], job.duration)
        }
        out.family(
            MetricName.jobLateness,
            .histogram,
            help: "Start of a scheduled firing's first attempt after its nominal time, in seconds."
        )
        for (id, job) in entries {
            out.histogram(MetricName.jobLateness, [("job", id)], job.lateness)
        }

        out.family(MetricName.jobRunning, .gauge, help: "Runs of the job in progress.")
        for (id, job) in entries {
            out.sample(MetricName.jobRunning, ["job": id], String(job.running))
        }
        out.family(
            MetricName.jobConsecutiveFailures,
            .gauge,
            help: "Failed, timed-out or killed runs since the last success."
        )
        for (id, job) in entries {
            out.sample(MetricName.jobConsecutiveFailures, ["job": id], String(job.consecutiveFailures))
        }

        out.family(MetricName.jobs, .gauge, help: "Jobs by state.")
        for state in JobStatus.State.allCases {
            out.sample(MetricName.jobs, ["state": state.rawValue], String(jobCount(in: state)))
        }

        out.family(MetricName.reloadsTotal, .counter, help: "Configuration reloads, by result.")
        for result in ReloadResult.allCases {
            out.sample(MetricName.reloadsTotal, ["result": result.rawValue], String(reloadCount(result)))
        }
        out.family(MetricName.lastReloadSuccessful, .gauge, help: "1 if the last configuration (re)load succeeded.")
        out.sample(MetricName.lastReloadSuccessful, [:], lastReloadSuccessful ? "1" : "0")
        out.family(
            MetricName.lastReloadSuccessTimestamp,
            .gauge,
            help: "Time of the last successful configuration (re)load (0: never)."
        )
        out.sample(MetricName.lastReloadSuccessTimestamp, [:], Self.timestamp(lastReloadSuccess))

        out.family(MetricName.buildInfo, .gauge, help: "Always 1; the version label says which schedd runs.")
        out.sample(MetricName.buildInfo, ["version": version], "1")
        return out.text
    }

    private func timestampFamily(
        _ out: inout PrometheusText,
        _ name: String,
        _ help: String,
        _ entries: [(String, JobMetrics)],
        _ value: (JobMetrics) -> Instant?
    ) {
        out.family(name, .gauge, help: help)
        for (id, job) in entries {
            out.sample(name, ["job": id], Self.timestamp(value(job)))
        }
    }

    /// Unix-epoch seconds, or 0 for "never".
    static func timestamp(_ instant: Instant?) -> String {
        instant.map(PrometheusText.seconds) ?? "0"
    }
}
