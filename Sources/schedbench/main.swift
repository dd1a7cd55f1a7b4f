// schedbench: `schedbench NAME [--json]`. Each benchmark lives in its own file.

#if canImport(Glibc)
    import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
let json = arguments.contains("--json")
let names = arguments.filter { !$0.hasPrefix("-") }
let benchmarks: [String: (Reporter) -> Void] = [
    "cron": CronBenchmark.run,
    "config": ConfigBenchmark.run,
    "wheel": WheelBenchmark.run,
    "core": CoreBenchmark.run,
    "daemon": DaemonBenchmark.run,
    "state": StateBenchmark.run,
    "http": HTTPBenchmark.run,
    "metrics": MetricsBenchmark.run,
    "control": ControlBenchmark.run,
]
// Hidden: the child process of the state store's kill -9 test (see StateTorture.swift).
if arguments.first == "state-torture" {
    StateTorture.run(Array(arguments.dropFirst()))
}
guard let name = names.first, let benchmark = benchmarks[name] else {
    print("USAGE: schedbench <\(benchmarks.keys.sorted().joined(separator: "|"))> [--json]")
    exit(2)
}
benchmark(Reporter(json: json))
