import SchedCore
import Testing

/// `on_interrupted`: the `[scheduler]` default, a per-job override, and a misspelt value.
@Suite struct InterruptedPolicyConfigTests {
    @Test("a job's on_interrupted overrides the scheduler's; unset jobs inherit it")
    func perJobOverride() throws {
        let result = ConfigFixture.load(
            """
            [scheduler]
            on_interrupted = "rerun"

            [jobs.inherits]
            every = "1m"
            shell = "true"

            [jobs.skips]
            every = "1m"
            shell = "true"
            on_interrupted = "skip"
            """
        )
        let config = try #require(result.config, "\(result.diagnostics)")
        #expect(config.job("inherits")?.onInterrupted == .rerun)
        #expect(config.job("skips")?.onInterrupted == .skip)
    }

    @Test("the default is skip")
    func defaultIsSkip() throws {
        let result = ConfigFixture.load(
            """
            [jobs.a]
            every = "1m"
            shell = "true"
            """
        )
        let config = try #require(result.config, "\(result.diagnostics)")
        #expect(config.job("a")?.onInterrupted == .skip)
    }

    @Test("a misspelt value is an error at its column, with the allowed values")
    func misspelt() {
        let result = ConfigFixture.load(
            """
            [jobs.a]
            every = "1m"
            shell = "true"
            on_interrupted = "re-run"
            """
        )
        #expect(result.config == nil)
        #expect(
            ConfigFixture.headlines(result) == [
                "schedules.toml:4:18: error: invalid value 're-run' for 'on_interrupted'; expected one of 'skip', 'rerun'; did you mean 'rerun'?"
            ]
        )
    }
}
