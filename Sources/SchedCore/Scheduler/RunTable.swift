/// The active runs by id: an open-addressing hash table with linear probing.
///
/// Why not `Dictionary`: every firing inserts one run and removes it when it ends, and the
/// standard dictionary hashes each `RunID` with SipHash — a seventh of the core's time in
/// `schedbench core`. Run ids are sequential, so a multiplicative (Fibonacci) hash spreads them
/// perfectly well, and nothing here is keyed by outside input an attacker could choose.
/// Deletion shifts later entries of the probe chain back, so no tombstones accumulate.
///
/// Key 0 marks an empty cell (probing reads only the key array, never copies a value), so run id 0
/// is never stored: the core hands out ids from 1.
struct RunTable<Value> {
    private var keys: [UInt64]
    private var values: [Value?]
    private var mask: Int
    /// 64 minus log2(capacity): the shift that keeps the top bits of the multiplied key.
    private var shift: UInt64
    private(set) var count = 0

    init() {
        keys = Array(repeating: 0, count: 16)
        values = Array(repeating: nil, count: 16)
        mask = 15
        shift = 60
    }

    var isEmpty: Bool { count == 0 }

    subscript(id: RunID) -> Value? {
        get {
            guard let index = find(id.rawValue) else { return nil }
            return values[index]
        }
        set {
            if let newValue {
                insert(newValue, for: id.rawValue)
            } else {
                removeValue(forKey: id)
            }
        }
    }

    /// Every stored value, in no particular order.
    var allValues: [Value] { values.compactMap { $0 } }

    @discardableResult
    mutating func removeValue(forKey id: RunID) -> Value? {
        guard var hole = find(id.rawValue) else { return nil }
        let removed = values[hole]
        values[hole] = nil
        keys[hole] = 0
        count -= 1
        // Backward-shift: move each later entry of the chain into the hole when its home slot
        // does not lie (cyclically) between the hole and its current position.
        var index = (hole + 1) & mask
        while keys[index] != 0 {
            let home = self.home(of: keys[index])
            let distanceToHome = (index - home) & mask
            let distanceToHole = (index - hole) & mask
            if distanceToHome >= distanceToHole {
                keys[hole] = keys[index]
                values.swapAt(hole, index)
                keys[index] = 0
                hole = index
            }
            index = (index + 1) & mask
        }
        return removed
    }

    private func home(of key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    private func find(_ key: UInt64) -> Int? {
        guard key != 0 else { return nil }
        var index = home(of: key)
        while keys[index] != 0 {
            if keys[index] == key { return index }
            index = (index + 1) & mask
        }
        return nil
    }

    private mutating func insert(_ value: Value, for key: UInt64) {
        precondition(key != 0, "run id 0 is never allocated")
        if let index = find(key) {
            values[index] = value
            return
        }
        if (count + 1) * 2 > keys.count { grow() }
        var index = home(of: key)
        while keys[index] != 0 { index = (index + 1) & mask }
        keys[index] = key
        values[index] = value
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        let capacity = keys.count * 2
        keys = Array(repeating: 0, count: capacity)
        values = Array(repeating: nil, count: capacity)
        mask = capacity - 1
        shift -= 1
        count = 0
        for (key, value) in zip(oldKeys, oldValues) where key != 0 {
            if let value { insert(value, for: key) }
        }
    }
}

extension RunTable: Sendable where Value: Sendable {}
