import SchedTime
import Testing

@testable import SchedCore
@testable import SchedRuntime

@Suite struct StartQueueTests {
    private let definition = JobDefinition(
        JobConfig(
            id: "job",
            trigger: .every(.seconds(1), anchor: nil),
            triggerText: "every 1s",
            action: .command(["/bin/true"]),
            settings: SchedulerSettings(zone: .utc),
            location: SourceLocation(file: "schedules.toml", line: 1, column: 1)
        )
    )

    private func request(_ number: UInt64) -> RunRequest {
        RunRequest(
            runID: RunID(rawValue: number),
            scheduled: Instant(secondsSinceEpoch: 0),
            attempt: 1,
            isManual: false,
            definition: definition
        )
    }

    @Test("first in, first out, across many appends and pops")
    func fifo() {
        var queue = StartQueue()
        var expected: UInt64 = 1
        var next: UInt64 = 1
        for round in 0..<50 {
            for _ in 0..<(round % 7 + 40) {
                queue.append(request(next))
                next += 1
            }
            for _ in 0..<(round % 5 + 30) {
                guard let popped = queue.popFirst() else { break }
                #expect(popped.runID.rawValue == expected)
                expected += 1
            }
        }
        while let popped = queue.popFirst() {
            #expect(popped.runID.rawValue == expected)
            expected += 1
        }
        #expect(expected == next)
        #expect(queue.isEmpty)
    }

    @Test("a queued run can be taken out by id; others keep their order")
    func removeByID() {
        var queue = StartQueue()
        for number: UInt64 in 1...4 { queue.append(request(number)) }
        _ = queue.popFirst()
        #expect(queue.remove(RunID(rawValue: 1)) == nil)  // already started
        #expect(queue.remove(RunID(rawValue: 3))?.runID.rawValue == 3)
        #expect(queue.count == 2)
        #expect(queue.popFirst()?.runID.rawValue == 2)
        #expect(queue.popFirst()?.runID.rawValue == 4)
        #expect(queue.popFirst() == nil)
    }
}
