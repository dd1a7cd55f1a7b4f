import SchedCore
import SchedTime
import Testing

@testable import SchedRuntime

/// The binary shapes of the state files' values.
@Suite struct StateCodingTests {
    @Test("every run result has a stable code that reads back", arguments: RunResult.allCases)
    func resultCodes(result: RunResult) {
        #expect(RunResultCode.result(of: RunResultCode.code(of: result)) == result)
    }

    @Test("the codes are the documented ones and unknown codes are rejected")
    func fixedCodes() {
        #expect(RunResult.allCases.map(RunResultCode.code(of:)) == [0, 1, 2, 3, 4, 5, 6])
        #expect(RunResultCode.result(of: 7) == nil)
    }

    @Test("records with no optional facts, negative values and instants before 1970 round-trip")
    func recordRoundTrip() throws {
        var record = RunRecord(
            runID: RunID(rawValue: .max),
            job: "j",
            scheduled: Instant(nanosecondsSinceEpoch: -1_000_000_123),
            attempt: 1,
            result: .skipped
        )
        var writer = ByteWriter()
        writer.write(record)
        record.started = Instant(nanosecondsSinceEpoch: .min)
        record.finished = Instant(nanosecondsSinceEpoch: .max)
        record.exitCode = -1
        record.signal = .max
        record.latency = .nanoseconds(-5)
        writer.write(record)
        let decoded = try writer.bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            let first = try reader.readRecord(job: "j")
            let second = try reader.readRecord(job: "j")
            #expect(reader.isAtEnd)
            return [first, second]
        }
        #expect(decoded[0].started == nil && decoded[0].reason == nil && decoded[0].scheduled == record.scheduled)
        #expect(decoded[1] == record)
    }

    @Test("any prefix and random bytes decode to an error, never a crash")
    func malformedInput() {
        var writer = ByteWriter()
        writer.write(StateEntry.record(StateFixture.record(3, job: "backup")))
        writer.write(StateEntry.started(StateFixture.started(4, job: "backup")))
        let bytes = writer.bytes
        for cut in 0..<bytes.count {
            let prefix = Array(bytes[..<cut])
            let outcome = prefix.withUnsafeBytes { raw -> Bool in
                var reader = ByteReader(raw)
                return (try? reader.readEntry()).flatMap { _ in try? reader.readEntry() } != nil
            }
            #expect(!outcome, "a cut at \(cut) still decoded two entries")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let noise = (0..<Int.random(in: 0...64, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            noise.withUnsafeBytes { raw in
                var reader = ByteReader(raw)
                while (try? reader.readEntry()) != nil {}
            }
        }
    }
}
