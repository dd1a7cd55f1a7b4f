import SchedCron
import SchedTime

#if canImport(Glibc)
    import Glibc
#endif

/// `schedbench cron`: the cost of parsing a cron expression and of one `next(after:in:)` call.
///
/// For each expression and zone, 100 batches of 1,000 successive `next` calls (each from the
/// previous result, starting 2026-01-01T00:00:00Z) are timed with `CLOCK_MONOTONIC`; the median
/// batch gives the per-call figure, which keeps scheduler noise on a shared machine out of it.
/// When the chain passes the year 2200 (or ends) it restarts from the start instant. Parsing is
/// measured in 1,000 batches of 100 parses: a parse costs about a microsecond, and batches of
/// about 100 µs are rarely preempted on a loaded machine, so the median stays honest.
enum CronBenchmark {
    static let expressions = [
        "*/5 * * * *", "0 0 * * *", "0 9-17 * * 1-5", "30 2 * * *", "0 0 1 * *", "0 0 29 2 *", "0 0 L * *",
        "*/10 * * * * *",
    ]
    static let batches = 100
    static let batchSize = 1_000
    static let parseBatches = 1_000
    static let parseBatchSize = 100

    static func run(_ reporter: Reporter) {
        var zones: [Zone] = [.utc]
        do {
            zones.append(try Zone.named("America/New_York"))
        } catch {
            printToStandardError("schedbench cron: \(error.description); measuring UTC only")
        }
        let start = Instant(secondsSinceEpoch: 1_767_225_600)  // 2026-01-01T00:00:00Z
        let restart = Instant(secondsSinceEpoch: 7_258_118_400)  // 2200-01-01T00:00:00Z
        var checksum: Int64 = 0

        for text in expressions {
            let parseNanoseconds = medianPerCall(batches: parseBatches, size: parseBatchSize) {
                for _ in 0..<parseBatchSize {
                    if let expression = try? CronExpression(parsing: text) {
                        checksum &+= expression.isFixedTime ? 1 : 2
                    }
                }
            }
            reporter.report(bench: "cron", case: text, metric: "parse", value: parseNanoseconds, unit: "ns")

            guard let expression = try? CronExpression(parsing: text) else { continue }
            for zone in zones {
                var cursor = start
                let nextNanoseconds = medianPerCall(batches: batches, size: batchSize) {
                    for _ in 0..<batchSize {
                        if let fire = expression.next(after: cursor, in: zone), fire.instant < restart {
                            cursor = fire.instant
                        } else {
                            cursor = start
                        }
                    }
                    checksum &+= cursor.nanosecondsSinceEpoch
                }
                reporter.report(
                    bench: "cron",
                    case: "\(text) [\(zone.identifier)]",
                    metric: "next",
                    value: nextNanoseconds,
                    unit: "ns"
                )
            }
        }
        FoundationCronBaseline.run(reporter) { batches, size, batch in
            medianPerCall(batches: batches, size: size, batch)
        }
        // Printing the checksum keeps the optimiser from discarding the measured work.
        if checksum == 42 { printToStandardError("checksum \(checksum)") }
    }

    /// Runs `batch` (which performs `size` operations) `batches` times and returns the median
    /// batch's time divided by `size`, in nanoseconds.
    private static func medianPerCall(batches: Int, size: Int, _ batch: () -> Void) -> Double {
        var samples: [Int64] = []
        samples.reserveCapacity(batches)
        for _ in 0..<batches {
            let before = monotonicNanoseconds()
            batch()
            samples.append(monotonicNanoseconds() - before)
        }
        samples.sort()
        return Double(samples[samples.count / 2]) / Double(size)
    }

    private static func monotonicNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    private static func printToStandardError(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}
