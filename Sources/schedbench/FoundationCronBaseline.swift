import Foundation
import SchedCron
import SchedTime

/// Side-by-side baseline for `schedbench cron`: Foundation's `Calendar.nextDate(after:matching:…)`
/// answering the same question as `CronExpression.next` for expressions it can express.
///
/// Both are measured in the same run, batch for batch, so the ratio holds even on a noisy shared
/// machine. Foundation is linked into the benchmark only; the daemon never imports it.
enum FoundationCronBaseline {
    /// Expressions Foundation's date components can express, with their components.
    static let cases: [(text: String, components: DateComponents)] = [
        ("0 0 * * *", DateComponents(hour: 0, minute: 0, second: 0)),
        ("30 2 * * *", DateComponents(hour: 2, minute: 30, second: 0)),
        ("0 0 1 * *", DateComponents(day: 1, hour: 0, minute: 0, second: 0)),
    ]

    static func run(_ reporter: Reporter, medianPerCall: (Int, Int, () -> Void) -> Double) {
        let batches = 20
        let size = 200
        let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        var checksum = 0.0
        for zoneName in ["UTC", "America/New_York"] {
            guard let foundationZone = TimeZone(identifier: zoneName), let zone = try? Zone.named(zoneName) else {
                continue
            }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = foundationZone
            for (text, components) in cases {
                guard let expression = try? CronExpression(parsing: text) else { continue }
                var date = start
                let foundation = medianPerCall(batches, size) {
                    for _ in 0..<size {
                        date =
                            calendar.nextDate(
                                after: date,
                                matching: components,
                                matchingPolicy: .nextTime,
                                repeatedTimePolicy: .first
                            ) ?? start
                    }
                    checksum += date.timeIntervalSince1970
                }
                var cursor = Instant(secondsSinceEpoch: 1_767_225_600)
                let ours = medianPerCall(batches, size) {
                    for _ in 0..<size {
                        cursor = expression.next(after: cursor, in: zone)?.instant ?? cursor
                    }
                    checksum += Double(cursor.secondsSinceEpoch)
                }
                let label = "\(text) [\(zoneName)]"
                reporter.report(bench: "cron", case: label, metric: "foundation", value: foundation, unit: "ns")
                reporter.report(bench: "cron", case: label, metric: "schedcron", value: ours, unit: "ns")
                reporter.report(bench: "cron", case: label, metric: "speedup", value: foundation / ours, unit: "x")
            }
        }
        if checksum == 42 { print("checksum \(checksum)") }
    }
}
