import SchedCore

/// `schedbench wheel`: the timing wheel's insert + cancel cost and its expiry throughput.
///
/// Insert + cancel: a wheel already holding 100,000 entries spread over one day; each batch inserts
/// 1,000 entries at precomputed pseudo-random deadlines within the day and then cancels them; the
/// median of 500 batches, divided by 1,000, is the cost of one insert plus one cancel.
///
/// Expiry: 1,000,000 entries spread uniformly over one hour, expired (a) in one-second steps, as a
/// loaded daemon waking every second would, and (b) by the shell's own loop — ask `nextDeadline`,
/// expire up to it — which visits every distinct deadline. Each is timed once with
/// `CLOCK_MONOTONIC`, best of three.
enum WheelBenchmark {
    static let start: UInt64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z in milliseconds
    static let day: UInt64 = 86_400_000

    static func run(_ reporter: Reporter) {
        var generator = JitterRandom(seed: 2026)
        var checksum: UInt64 = 0

        // MARK: Insert + cancel
        var wheel = TimingWheel<UInt32>(now: start)
        for index in 0..<100_000 {
            wheel.insert(UInt32(index), at: start + 1 + generator.next() % day)
        }
        let batch = 1_000
        let deadlines = (0..<batch).map { _ in start + 1 + generator.next() % day }
        var handles: [TimerHandle] = []
        handles.reserveCapacity(batch)
        var samples: [Int64] = []
        for _ in 0..<500 {
            let before = BenchmarkClock.monotonicNanoseconds()
            for (index, deadline) in deadlines.enumerated() {
                handles.append(wheel.insert(UInt32(index), at: deadline))
            }
            for handle in handles {
                checksum &+= UInt64(wheel.cancel(handle) ?? 0)
            }
            samples.append(BenchmarkClock.monotonicNanoseconds() - before)
            handles.removeAll(keepingCapacity: true)
        }
        samples.sort()
        let perOperation = Double(samples[samples.count / 2]) / Double(batch)
        reporter.report(
            bench: "wheel",
            case: "insert+cancel (100,000 resident)",
            metric: "time",
            value: perOperation,
            unit: "ns/op"
        )

        // MARK: Expiry
        let entries = 1_000_000
        let hour: UInt64 = 3_600_000
        let spread = (0..<entries).map { _ in start + 1 + generator.next() % hour }
        for (name, stepped) in [("expire, 1 s steps", true), ("nextDeadline + expire loop", false)] {
            var best = Int64.max
            for _ in 0..<3 {
                var wheel = TimingWheel<UInt32>(now: start)
                for (index, deadline) in spread.enumerated() { wheel.insert(UInt32(index), at: deadline) }
                var expired = 0
                let before = BenchmarkClock.monotonicNanoseconds()
                if stepped {
                    var now = start
                    while !wheel.isEmpty {
                        now += 1_000
                        wheel.expire(upTo: now) { _, payload, _ in
                            expired += 1
                            checksum &+= UInt64(payload)
                        }
                    }
                } else {
                    while let deadline = wheel.nextDeadline() {
                        wheel.expire(upTo: deadline) { _, payload, _ in
                            expired += 1
                            checksum &+= UInt64(payload)
                        }
                    }
                }
                best = min(best, BenchmarkClock.monotonicNanoseconds() - before)
                precondition(expired == entries, "wheel lost entries")
            }
            reporter.report(
                bench: "wheel",
                case: "\(name) (1,000,000 over 1 h)",
                metric: "throughput",
                value: Double(entries) / (Double(best) / 1e9),
                unit: "entries/s"
            )
        }
        if checksum == 42 { BenchmarkClock.printToStandardError("checksum \(checksum)") }
    }
}
