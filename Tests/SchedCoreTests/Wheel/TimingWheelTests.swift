import SchedCore
import Testing

@Suite struct TimingWheelTests {
    @Test("an empty wheel has no deadline and expires nothing")
    func empty() {
        var wheel = TimingWheel<Int>(now: 1_000)
        #expect(wheel.nextDeadline() == nil)
        var fired: [Int] = []
        wheel.expire(upTo: 10_000) { _, payload, _ in fired.append(payload) }
        #expect(fired.isEmpty)
        #expect(wheel.elapsed == 10_000)
    }

    @Test("entries fire at their deadline, not before, in deadline order")
    func firesInOrder() {
        var wheel = TimingWheel<String>(now: 0)
        wheel.insert("c", at: 5_000)
        wheel.insert("a", at: 10)
        wheel.insert("b", at: 70)
        #expect(wheel.nextDeadline() == 10)
        var fired: [String] = []
        wheel.expire(upTo: 9) { _, payload, _ in fired.append(payload) }
        #expect(fired.isEmpty)
        wheel.expire(upTo: 70) { _, payload, _ in fired.append(payload) }
        #expect(fired == ["a", "b"])
        #expect(wheel.nextDeadline() == 5_000)
        wheel.expire(upTo: 4_999) { _, payload, _ in fired.append(payload) }
        #expect(fired == ["a", "b"])
        wheel.expire(upTo: 5_000) { _, payload, deadline in
            fired.append(payload)
            #expect(deadline == 5_000)
        }
        #expect(fired == ["a", "b", "c"])
        #expect(wheel.isEmpty)
    }

    @Test("a cancelled entry never fires and its handle goes stale")
    func cancel() {
        var wheel = TimingWheel<Int>(now: 100)
        let first = wheel.insert(1, at: 200)
        let second = wheel.insert(2, at: 150)
        #expect(wheel.nextDeadline() == 150)
        #expect(wheel.cancel(second) == 2)
        #expect(wheel.cancel(second) == nil)
        #expect(wheel.nextDeadline() == 200)
        var fired: [Int] = []
        wheel.expire(upTo: 1_000) { _, payload, _ in fired.append(payload) }
        #expect(fired == [1])
        #expect(wheel.cancel(first) == nil, "a fired entry's handle is stale")
        // The arena cell is reused; the old handle must not reach the new entry.
        let third = wheel.insert(3, at: 2_000)
        #expect(wheel.cancel(first) == nil)
        #expect(wheel.deadline(of: third) == 2_000)
    }

    @Test("deadlines years ahead fire exactly, after cascading through every level")
    func farFuture() {
        let now: UInt64 = 1_795_000_000_000  // late 2026, in ms
        var wheel = TimingWheel<Int>(now: now)
        let tenYears: UInt64 = 10 * 365 * 86_400_000
        wheel.insert(1, at: now + tenYears)
        wheel.insert(2, at: now + 86_400_000)
        #expect(wheel.nextDeadline() == now + 86_400_000)
        var fired: [(Int, UInt64)] = []
        wheel.expire(upTo: now + tenYears - 1) { _, payload, deadline in fired.append((payload, deadline)) }
        #expect(fired.map(\.0) == [2])
        #expect(wheel.nextDeadline() == now + tenYears)
        wheel.expire(upTo: now + tenYears) { _, payload, deadline in fired.append((payload, deadline)) }
        #expect(fired.map(\.0) == [2, 1])
        #expect(fired.last?.1 == now + tenYears)
    }

    @Test("a deadline in the past is due at the next expiry")
    func pastDeadline() {
        var wheel = TimingWheel<Int>(now: 1_000)
        wheel.insert(7, at: 10)
        #expect(wheel.nextDeadline() == 1_000)
        var fired: [Int] = []
        wheel.expire(upTo: 1_000) { _, payload, _ in fired.append(payload) }
        #expect(fired == [7])
    }

    @Test("time going backwards expires nothing")
    func backwards() {
        var wheel = TimingWheel<Int>(now: 1_000)
        wheel.insert(1, at: 1_500)
        var fired: [Int] = []
        wheel.expire(upTo: 500) { _, payload, _ in fired.append(payload) }
        #expect(fired.isEmpty)
        #expect(wheel.elapsed == 1_000)
        #expect(wheel.nextDeadline() == 1_500)
    }

    @Test(
        "matches a sorted reference over random operations (1.2 million in all)",
        .hangGuard,
        arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64]
    )
    func randomizedAgainstReference(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let start: UInt64 = 1_700_000_000_000 + random.next() % 1_000_000
        var wheel = TimingWheel<Int>(now: start)
        var reference: [Int: (deadline: UInt64, handle: TimerHandle)] = [:]
        var now = start
        var nextID = 0
        var totalFired = 0
        // Spans from sub-tick to years, so every level and the cascades are exercised.
        let spans: [UInt64] = [1, 64, 4_096, 262_144, 16_777_216, 1_073_741_824, 68_719_476_736]
        for step in 0..<150_000 {
            switch random.next() % 10 {
            case 0...4:
                let span = spans[Int(random.next() % UInt64(spans.count))]
                let deadline = now &+ random.next() % span
                let handle = wheel.insert(nextID, at: deadline)
                reference[nextID] = (deadline, handle)
                nextID += 1
            case 5, 6:
                guard let victim = reference.keys.randomElement(using: &random) else { continue }
                let entry = reference.removeValue(forKey: victim)!
                #expect(wheel.cancel(entry.handle) == victim, "seed \(seed) step \(step)")
            default:
                let span = spans[Int(random.next() % UInt64(spans.count))]
                now += random.next() % span
                var fired: [Int] = []
                var lastDeadline: UInt64 = 0
                wheel.expire(upTo: now) { _, payload, deadline in
                    #expect(deadline >= lastDeadline, "seed \(seed) step \(step): out of order")
                    lastDeadline = deadline
                    fired.append(payload)
                }
                let due = reference.filter { $0.value.deadline <= now }.map(\.key)
                #expect(Set(fired) == Set(due), "seed \(seed) step \(step): expired set differs")
                #expect(fired.count == due.count, "seed \(seed) step \(step): duplicate firing")
                for id in due { reference.removeValue(forKey: id) }
                totalFired += fired.count
            }
            #expect(wheel.count == reference.count)
            let expected = reference.values.map(\.deadline).min()
            guard wheel.nextDeadline() == expected else {
                Issue.record(
                    "seed \(seed) step \(step): next deadline \(String(describing: wheel.nextDeadline())) != \(String(describing: expected))"
                )
                return
            }
        }
        // Guard against a scenario that silently exercises nothing.
        #expect(totalFired > 5_000, "seed \(seed): only \(totalFired) firings")
    }
}

/// A tiny deterministic generator so every randomized scenario is reproducible from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
