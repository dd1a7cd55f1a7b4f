/// The metric names schedd exposes. The first group is fixed by the interface (ARCHITECTURE.md,
/// "Interfaces"); scripts and alerts rely on every one of them.
public enum MetricName {
    public static let jobRunsTotal = "schedd_job_runs_total"
    public static let jobLastSuccessTimestamp = "schedd_job_last_success_timestamp_seconds"
    public static let jobLastRunStartTimestamp = "schedd_job_last_run_start_timestamp_seconds"
    public static let jobLastRunEndTimestamp = "schedd_job_last_run_end_timestamp_seconds"
    public static let jobNextFireTimestamp = "schedd_job_next_fire_timestamp_seconds"
    public static let jobDuration = "schedd_job_duration_seconds"
    public static let jobLateness = "schedd_job_lateness_seconds"
    public static let jobRunning = "schedd_job_running"
    public static let jobConsecutiveFailures = "schedd_job_consecutive_failures"
    public static let jobs = "schedd_jobs"
    public static let reloadsTotal = "schedd_reloads_total"
    /// 1 when the last reload succeeded (or none happened yet), 0 after a failed one; named after
    /// Prometheus' own `prometheus_config_last_reload_successful`.
    public static let lastReloadSuccessful = "schedd_last_reload_successful"
    public static let lastReloadSuccessTimestamp = "schedd_last_reload_success_timestamp_seconds"
    public static let buildInfo = "schedd_build_info"
}
