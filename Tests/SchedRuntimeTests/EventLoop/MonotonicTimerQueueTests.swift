import Testing

@testable import SchedRuntime

@Suite("MonotonicTimerQueue")
struct MonotonicTimerQueueTests {
    private func at(_ nanoseconds: Int64) -> MonotonicInstant { MonotonicInstant(nanoseconds: nanoseconds) }

    @Test("pops expired timers earliest first, ties in scheduling order")
    func ordering() {
        var queue = MonotonicTimerQueue()
        let deadlines: [Int64] = [50, 10, 30, 10, 70, 20]
        for (id, deadline) in deadlines.enumerated() {
            queue.schedule(id: UInt64(id), at: at(deadline))
        }
        let initialEarliest = queue.earliestDeadline()
        #expect(initialEarliest == at(10))
        let firstBatch = queue.popExpired(now: at(30))
        #expect(firstBatch == [1, 3, 5, 2])
        let nextEarliest = queue.earliestDeadline()
        #expect(nextEarliest == at(50))
        let secondBatch = queue.popExpired(now: at(100))
        #expect(secondBatch == [0, 4])
        let finalEarliest = queue.earliestDeadline()
        #expect(finalEarliest == nil)
    }

    @Test("cancelled timers are skipped and do not hold the earliest deadline")
    func cancellation() {
        var queue = MonotonicTimerQueue()
        queue.schedule(id: 1, at: at(10))
        queue.schedule(id: 2, at: at(20))
        let first = queue.cancel(id: 1)
        let second = queue.cancel(id: 1)
        #expect(first)
        #expect(!second)
        let earliest = queue.earliestDeadline()
        #expect(earliest == at(20))
        let popped = queue.popExpired(now: at(100))
        #expect(popped == [2])
        #expect(queue.count == 0)
    }

    @Test("mass cancellation keeps the queue consistent (heap rebuild)")
    func rebuild() {
        var queue = MonotonicTimerQueue()
        for id in 0..<1000 {
            queue.schedule(id: UInt64(id), at: at(Int64((id * 7919) % 1000)))
        }
        for id in 0..<1000 where id % 10 != 0 {
            queue.cancel(id: UInt64(id))
        }
        #expect(queue.count == 100)
        let popped = queue.popExpired(now: at(1000))
        #expect(Set(popped) == Set((0..<100).map { UInt64($0 * 10) }))
        let deadlines = popped.map { Int64((Int($0) * 7919) % 1000) }
        #expect(deadlines == deadlines.sorted())
    }
}
