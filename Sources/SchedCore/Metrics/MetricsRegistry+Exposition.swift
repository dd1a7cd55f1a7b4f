import SchedTime

// MARK: - Prometheus text

extension MetricsRegistry {
    /// The whole exposition in the Prometheus text format (version 0.0.4), ending with a newline.
    ///
    /// Families come in a fixed order, jobs sorted by id; see the design note in MetricsRegistry.swift.
    public func render() -> String {
        // About 2.8 KB per job (measured by `schedbench metrics`).
        var out = PrometheusText(capacity: 3_000 * jobs.count + 2_000)
        let ids = jobs.keys.sorted()
        // Each job's `job="…"` label escaped once, reused on every line.
        let labels = ids.map { PrometheusText.Labels(["job": $0]) }
        // Read by index below (`list[index].field`), never bound to a local copy: copying a
        // `JobMetrics` retains its arrays, and that was most of a scrape's cost.
        let list = ids.map { jobs[$0]! }

        out.family(MetricName.jobRunsTotal, .counter, help: "Runs ended and firings skipped or missed, by result.")
        for index in list.indices {
            for result in RunResult.allCases {
                out.sample(
                    MetricName.jobRunsTotal,
                    labels[index].appending("result", result.rawValue),
                    .count(list[index].runsByResult[result.index])
                )
            }
        }

        let timestamps: [(String, String, KeyPath<JobMetrics, Instant?>)] = [
            (MetricName.jobLastRunStartTimestamp, "Start of the last run (0: never).", \.lastRunStart),
            (MetricName.jobLastRunEndTimestamp, "End of the last run (0: never).", \.lastRunEnd),
            (MetricName.jobLastSuccessTimestamp, "End of the last successful run (0: never).", \.lastSuccess),
            (
                MetricName.jobNextFireTimestamp,
                "Next nominal fire time (0: none coming: paused, disabled, spent or ended).", \.nextFire
            ),
        ]
        for (name, help, field) in timestamps {
            out.family(name, .gauge, help: help)
            for index in list.indices {
                out.sample(name, labels[index], .timestamp(list[index][keyPath: field]))
            }
        }

        out.family(MetricName.jobDuration, .histogram, help: "Run time of runs that started, in seconds.")
        let durationBounds = Histogram.runDurationBounds.map(PrometheusText.seconds)
        for index in list.indices {
            out.histogram(MetricName.jobDuration, labels[index], list[index].duration, boundTexts: durationBounds)
        }
        out.family(
            MetricName.jobLateness,
            .histogram,
            help: "Start of a scheduled firing's first attempt after its nominal time, in seconds."
        )
        let latenessBounds = Histogram.latenessBounds.map(PrometheusText.seconds)
        for index in list.indices {
            out.histogram(MetricName.jobLateness, labels[index], list[index].lateness, boundTexts: latenessBounds)
        }

        out.family(MetricName.jobRunning, .gauge, help: "Runs of the job in progress.")
        for index in list.indices {
            out.sample(MetricName.jobRunning, labels[index], .count(UInt64(list[index].running)))
        }
        out.family(
            MetricName.jobConsecutiveFailures,
            .gauge,
            help: "Failed, timed-out or killed runs since the last success."
        )
        for index in list.indices {
            out.sample(
                MetricName.jobConsecutiveFailures,
                labels[index],
                .count(UInt64(list[index].consecutiveFailures))
            )
        }

        out.family(MetricName.jobs, .gauge, help: "Jobs by state.")
        for state in JobStatus.State.allCases {
            out.sample(
                MetricName.jobs,
                PrometheusText.Labels(["state": state.rawValue]),
                .count(UInt64(jobCount(in: state)))
            )
        }

        out.family(MetricName.reloadsTotal, .counter, help: "Configuration reloads, by result.")
        for result in ReloadResult.allCases {
            out.sample(
                MetricName.reloadsTotal,
                PrometheusText.Labels(["result": result.rawValue]),
                .count(reloadCount(result))
            )
        }
        out.family(MetricName.lastReloadSuccessful, .gauge, help: "1 if the last configuration (re)load succeeded.")
        out.sample(MetricName.lastReloadSuccessful, [:], lastReloadSuccessful ? "1" : "0")
        out.family(
            MetricName.lastReloadSuccessTimestamp,
            .gauge,
            help: "Time of the last successful configuration (re)load (0: never)."
        )
        out.sample(MetricName.lastReloadSuccessTimestamp, PrometheusText.Labels([:]), .timestamp(lastReloadSuccess))

        out.family(MetricName.buildInfo, .gauge, help: "Always 1; the version label says which schedd runs.")
        out.sample(MetricName.buildInfo, ["version": version], "1")
        return out.text
    }
}
