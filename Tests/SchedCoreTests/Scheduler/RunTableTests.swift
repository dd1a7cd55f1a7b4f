import Testing

@testable import SchedCore

@Suite struct RunTableTests {
    @Test("matches a Dictionary over random inserts, updates and removals", arguments: [1, 2, 3] as [UInt64])
    func randomizedAgainstDictionary(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var table = RunTable<Int>()
        var reference: [UInt64: Int] = [:]
        var nextID: UInt64 = 1
        for step in 0..<50_000 {
            switch random.next() % 8 {
            case 0...3:
                // Mostly sequential ids, as the core allocates them, with some far-off ones.
                let id = random.next() % 16 == 0 ? random.next() | 1 : nextID
                nextID += 1
                table[RunID(rawValue: id)] = step
                reference[id] = step
            case 4:
                guard let id = reference.keys.randomElement(using: &random) else { continue }
                table[RunID(rawValue: id)] = -step
                reference[id] = -step
            default:
                let id: UInt64
                if random.next() % 4 == 0 {
                    id = random.next() | 1  // almost surely absent
                } else if let existing = reference.keys.randomElement(using: &random) {
                    id = existing
                } else {
                    continue
                }
                #expect(table.removeValue(forKey: RunID(rawValue: id)) == reference.removeValue(forKey: id))
            }
            #expect(table.count == reference.count)
            if step % 2_500 == 0 {
                for (id, value) in reference {
                    guard table[RunID(rawValue: id)] == value else {
                        Issue.record("seed \(seed) step \(step): id \(id) lost or wrong")
                        return
                    }
                }
                #expect(table.allValues.sorted() == reference.values.sorted())
            }
        }
    }

    @Test("setting nil removes; a missing id reads nil")
    func subscriptRemoval() {
        var table = RunTable<String>()
        table[RunID(rawValue: 7)] = "seven"
        #expect(table[RunID(rawValue: 7)] == "seven")
        #expect(table[RunID(rawValue: 8)] == nil)
        table[RunID(rawValue: 7)] = nil
        #expect(table.isEmpty)
        #expect(table[RunID(rawValue: 7)] == nil)
    }
}
