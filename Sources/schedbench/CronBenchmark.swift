// Placeholder: arrives with the cron engine.
enum CronBenchmark {
    static func run(_ reporter: Reporter) {}
}
