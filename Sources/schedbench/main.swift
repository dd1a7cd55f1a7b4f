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
    "http": HTTPBenchmark.run,
    "metrics": MetricsBenchmark.run,
]
guard let name = names.first, let benchmark = benchmarks[name] else {
    print("USAGE: schedbench <\(benchmarks.keys.sorted().joined(separator: "|"))> [--json]")
    exit(2)
}
benchmark(Reporter(json: json))
