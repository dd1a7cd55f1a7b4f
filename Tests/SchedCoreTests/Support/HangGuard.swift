import Testing

extension Trait where Self == TimeLimitTrait {
    /// A guard against hangs, not a speed check. Swift Testing starts a test's clock when the test's task is
    /// created, so the time spent waiting for a thread of the cooperative pool counts too; on a 2-core CI
    /// machine, where blocking end-to-end tests hold both threads, that wait alone passed a minute and
    /// failed six tests that had not started. Real hangs are caught sooner by the helpers' own bounded waits.
    static var hangGuard: Self { .timeLimit(.minutes(10)) }
}
