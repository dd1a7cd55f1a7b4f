// Placeholder: arrives with the config model.
enum ConfigBenchmark {
    static func run(_ reporter: Reporter) {}
}
