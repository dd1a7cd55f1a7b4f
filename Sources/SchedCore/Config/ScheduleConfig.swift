/// A validated configuration: the scheduler settings and every job, main file first, then
/// drop-ins in name order (a replaced job keeps its original position).
public struct ScheduleConfig: Hashable, Sendable {
    public var settings: SchedulerSettings
    public var jobs: [JobConfig]
    /// Every file that was read, main file first.
    public var files: [String]

    public init(settings: SchedulerSettings, jobs: [JobConfig], files: [String]) {
        self.settings = settings
        self.jobs = jobs
        self.files = files
    }

    /// The job with `id`, or nil.
    public func job(_ id: String) -> JobConfig? {
        jobs.first { $0.id == id }
    }
}
