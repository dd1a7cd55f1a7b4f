extension RunRecord {
    /// True when this run ended its firing in failure for good: the moment `on_failure` runs.
    ///
    /// A failure is `failed`, `timeout`, or `killed` by something other than the daemon (a `killed`
    /// record with a `reason` is a stop the core asked for, `on_overlap = "replace"`, which is policy,
    /// not failure). "For good" mirrors `SchedulerCore.runFinished`: a `failed` or `timeout` attempt is
    /// retried while `retry.delay(beforeRetry: attempt)` has a delay, so only the last attempt counts.
    /// Missed, skipped and interrupted firings never ran a failing command and run no hook.
    public func endsFiringInFailure(retry: RetryPolicy) -> Bool {
        switch result {
        case .failed, .timeout:
            return retry.delay(beforeRetry: attempt) == nil
        case .killed:
            return reason == nil
        case .ok, .missed, .skipped, .interrupted:
            return false
        }
    }
}
