// MARK: - Design note
//
// A hierarchical timing wheel (Varghese & Lauck; the layout follows tokio's `time/wheel`).
//
// Units: one tick is one millisecond of wall-clock time, counted from the Unix epoch. Deadlines
// are rounded *up* to the next tick, so nothing ever fires early; lateness from rounding is < 1 ms.
//
// Levels: `levelCount` levels of 64 slots. Level L's slots are 64^L ticks wide, so level 0 holds
// the next 64 ms tick by tick, level 1 the next ~4 s, level 2 ~4.4 min, level 3 ~4.7 h,
// level 4 ~12 days, level 5 ~2.2 years, level 6 ~143 years, level 7 ~9,000 years.
//
// Invariant: an entry with deadline `when` lives at the level of the highest 6-bit digit in which
// `when` and `elapsed` differ, in the slot given by `when`'s digit at that level. Hence at level
// L > 0 every occupied slot index is greater than `elapsed`'s own digit, so an entry at a lower
// level is always due before any entry at a higher one, and the earliest occupied slot is found
// with one mask and one count-trailing-zeros per level: no slot scanning.
//
// Expiry walks occupied slots in deadline order. A level-0 slot is exactly one tick: its entries
// are due. A higher slot is a range: its entries are re-inserted relative to the slot's start,
// which moves each to a lower level ("cascading"); an entry cascades at most `levelCount` times
// in its life, so expiry is amortised O(1) per entry.
//
// Storage: entries live in one array (an arena) and each slot is a doubly linked list threaded
// through it by index, so insert and cancel are O(1) and allocation-free once the arena has grown.
// Handles carry a generation so a stale handle can never cancel a reused arena cell.
//
// Inlinable: the wheel is generic, and without `@inlinable` a client module (schedbench, the
// runtime) calls it unspecialised, through value witnesses: insert + cancel cost 285 ns instead of
// 17 ns. Its internals are therefore `@usableFromInline` rather than private.

/// A hierarchical timing wheel of 64-slot levels with occupancy bitmaps, generic over its payload.
///
/// Insert and cancel are O(1); the next deadline costs O(levels), plus one pass over the entries of
/// the earliest slot only after the entry holding that slot's minimum was cancelled.
public struct TimingWheel<Payload> {
    /// Number of levels; 8 × 6 bits covers 2^48 ms (about 8,900 years) ahead of `elapsed`.
    @usableFromInline static var levelCount: Int { 8 }

    /// The tick up to which everything has been expired; every stored deadline is ≥ this.
    public var elapsed: UInt64 { elapsedTick }
    @usableFromInline var elapsedTick: UInt64

    /// Per level, bit `s` is set when slot `s` holds at least one entry.
    @usableFromInline var occupied: [UInt64]
    /// Head node index of each slot's list, `levelCount * 64` of them; -1 for an empty slot.
    @usableFromInline var heads: [Int32]
    @usableFromInline var nodes: [Node]
    /// Head of the free list threaded through `nodes[].next`.
    @usableFromInline var freeHead: Int32 = -1
    /// Deadlines past the top level's reach; re-examined whenever the wheel is asked for the
    /// next deadline or expired. Never used in practice (it takes a deadline 9,000 years out).
    @usableFromInline var overflow: [Int32] = []
    public var count: Int { entryCount }
    @usableFromInline var entryCount = 0
    /// Cached exact earliest deadline; nil means unknown (recompute on demand).
    @usableFromInline var cachedEarliest: UInt64?
    /// Per slot (`level * 64 + slot`), the earliest deadline in its list, kept on link so the next
    /// deadline of a coarse slot needs no walk over its (possibly thousands of) entries. Meaningful
    /// only for occupied slots whose bit in `staleMinimum` is clear.
    @usableFromInline var slotMinimum: [UInt64]
    /// Per level, bit `s` is set when slot `s`'s minimum left with a cancelled entry and must be
    /// recomputed by walking the list (cancelling is rare; expiry empties whole slots).
    @usableFromInline var staleMinimum: [UInt64]

    @usableFromInline struct Node {
        @usableFromInline var payload: Payload?
        @usableFromInline var deadline: UInt64
        @usableFromInline var previous: Int32
        @usableFromInline var next: Int32
        @usableFromInline var generation: UInt32
        /// Flat slot index (`level * 64 + slot`), or -1 when in `overflow` or free.
        @usableFromInline var slotIndex: Int32

        @inlinable init(
            payload: Payload?,
            deadline: UInt64,
            previous: Int32,
            next: Int32,
            generation: UInt32,
            slotIndex: Int32
        ) {
            self.payload = payload
            self.deadline = deadline
            self.previous = previous
            self.next = next
            self.generation = generation
            self.slotIndex = slotIndex
        }
    }

    /// Creates an empty wheel whose time starts at `tick`.
    @inlinable public init(now tick: UInt64) {
        elapsedTick = tick
        occupied = Array(repeating: 0, count: Self.levelCount)
        heads = Array(repeating: -1, count: Self.levelCount * 64)
        slotMinimum = Array(repeating: .max, count: Self.levelCount * 64)
        staleMinimum = Array(repeating: 0, count: Self.levelCount)
        nodes = []
    }

    public var isEmpty: Bool { entryCount == 0 }

    // MARK: - Insert and cancel

    /// Schedules `payload` for `deadline`. A deadline at or before `elapsed` is due at the next
    /// `expire(upTo:)` call.
    @discardableResult
    @inlinable public mutating func insert(_ payload: Payload, at deadline: UInt64) -> TimerHandle {
        let index = allocateNode(payload: payload, deadline: max(deadline, elapsedTick))
        link(index)
        entryCount += 1
        if let earliest = cachedEarliest {
            cachedEarliest = min(earliest, nodes[Int(index)].deadline)
        }
        return TimerHandle(index: index, generation: nodes[Int(index)].generation)
    }

    /// Removes the entry for `handle` and returns its payload, or nil when it already fired or was
    /// cancelled.
    @discardableResult
    @inlinable public mutating func cancel(_ handle: TimerHandle) -> Payload? {
        guard handle.index >= 0, Int(handle.index) < nodes.count else { return nil }
        let index = Int(handle.index)
        guard nodes[index].generation == handle.generation, nodes[index].payload != nil else { return nil }
        if nodes[index].deadline == cachedEarliest { cachedEarliest = nil }
        unlink(Int32(index))
        entryCount -= 1
        return freeNode(Int32(index))
    }

    /// The deadline of `handle`'s entry, or nil when it is no longer scheduled.
    @inlinable public func deadline(of handle: TimerHandle) -> UInt64? {
        guard handle.index >= 0, Int(handle.index) < nodes.count else { return nil }
        let node = nodes[Int(handle.index)]
        guard node.generation == handle.generation, node.payload != nil else { return nil }
        return node.deadline
    }

    // MARK: - Next deadline and expiry

    /// The earliest deadline of any entry (exact, in ticks), or nil when the wheel is empty.
    @inlinable public mutating func nextDeadline() -> UInt64? {
        guard entryCount > 0 else { return nil }
        if let earliest = cachedEarliest { return earliest }
        var earliest = UInt64.max
        if let (level, slot) = earliestSlot() {
            let flat = level * 64 + slot
            let bit: UInt64 = 1 << UInt64(slot)
            if staleMinimum[level] & bit != 0 {
                var minimum = UInt64.max
                var cursor = heads[flat]
                while cursor >= 0 {
                    minimum = min(minimum, nodes[Int(cursor)].deadline)
                    cursor = nodes[Int(cursor)].next
                }
                slotMinimum[flat] = minimum
                staleMinimum[level] &= ~bit
            }
            earliest = slotMinimum[flat]
        }
        for index in overflow { earliest = min(earliest, nodes[Int(index)].deadline) }
        cachedEarliest = earliest
        return earliest
    }

    /// Removes every entry whose deadline is at or before `now` and hands each to `body` in
    /// deadline order (entries of one tick in no particular order). Afterwards `elapsed == now`
    /// (time never moves backwards: a smaller `now` expires nothing).
    @inlinable public mutating func expire(upTo now: UInt64, _ body: (TimerHandle, Payload, UInt64) -> Void) {
        guard now >= elapsedTick else { return }
        rescueOverflow()
        while let (level, slot) = earliestSlot() {
            let slotStart = startOfSlot(level: level, slot: slot)
            guard slotStart <= now else { break }
            // Take the whole list first: re-inserting relative to the new `elapsed` may put entries
            // back into the current level-0 slot.
            let flat = level * 64 + slot
            var cursor = heads[flat]
            heads[flat] = -1
            occupied[level] &= ~(1 << UInt64(slot))
            staleMinimum[level] &= ~(1 << UInt64(slot))
            elapsedTick = slotStart
            while cursor >= 0 {
                let index = cursor
                cursor = nodes[Int(index)].next
                if level == 0 {
                    let node = nodes[Int(index)]
                    entryCount -= 1
                    if node.deadline == cachedEarliest { cachedEarliest = nil }
                    let payload = freeNode(index)!
                    body(TimerHandle(index: index, generation: node.generation), payload, node.deadline)
                } else {
                    link(index)
                }
            }
        }
        elapsedTick = now
    }

    // MARK: - Slot arithmetic

    /// The level an entry due at `deadline` belongs to, relative to `elapsed`.
    @inlinable func level(for deadline: UInt64) -> Int {
        // Bits 0-5 are forced on so a deadline equal to `elapsed` lands at level 0.
        let significant = 63 - (elapsedTick ^ deadline | 63).leadingZeroBitCount
        return significant / 6
    }

    /// First tick of `slot` at `level` in the current rotation around `elapsed`.
    @inlinable func startOfSlot(level: Int, slot: Int) -> UInt64 {
        let shift = UInt64(level * 6)
        let levelMask: UInt64 = (1 << (shift + 6)) - 1
        return (elapsedTick & ~levelMask) | (UInt64(slot) << shift)
    }

    /// The occupied slot holding the earliest entries: the first occupied slot at or after
    /// `elapsed`'s own digit on the lowest occupied level.
    @inlinable func earliestSlot() -> (level: Int, slot: Int)? {
        for level in 0..<Self.levelCount where occupied[level] != 0 {
            let current = Int((elapsedTick >> UInt64(level * 6)) & 63)
            let ahead = occupied[level] & (UInt64.max << UInt64(current))
            // The invariant (see the design note) guarantees no occupied slot behind `current`.
            assert(ahead == occupied[level], "timing wheel slot behind elapsed at level \(level)")
            return (level, ahead.trailingZeroBitCount)
        }
        return nil
    }

    // MARK: - Lists and arena

    @inlinable mutating func link(_ index: Int32) {
        let deadline = nodes[Int(index)].deadline
        let level = level(for: deadline)
        guard level < Self.levelCount else {
            nodes[Int(index)].slotIndex = -1
            overflow.append(index)
            return
        }
        let slot = Int((deadline >> UInt64(level * 6)) & 63)
        let flat = level * 64 + slot
        let head = heads[flat]
        // An empty slot's minimum is stale by construction (it was never cleared): start afresh.
        slotMinimum[flat] = head < 0 ? deadline : min(slotMinimum[flat], deadline)
        if head < 0 { staleMinimum[level] &= ~(1 << UInt64(slot)) }
        nodes[Int(index)].previous = -1
        nodes[Int(index)].next = head
        nodes[Int(index)].slotIndex = Int32(flat)
        if head >= 0 { nodes[Int(head)].previous = index }
        heads[flat] = index
        occupied[level] |= 1 << UInt64(slot)
    }

    @inlinable mutating func unlink(_ index: Int32) {
        let node = nodes[Int(index)]
        guard node.slotIndex >= 0 else {
            overflow.removeAll { $0 == index }
            return
        }
        let flat = Int(node.slotIndex)
        if node.previous >= 0 { nodes[Int(node.previous)].next = node.next } else { heads[flat] = node.next }
        if node.next >= 0 { nodes[Int(node.next)].previous = node.previous }
        if heads[flat] < 0 {
            occupied[flat / 64] &= ~(1 << UInt64(flat % 64))
        } else if node.deadline == slotMinimum[flat] {
            staleMinimum[flat / 64] |= 1 << UInt64(flat % 64)
        }
    }

    @inlinable mutating func allocateNode(payload: Payload, deadline: UInt64) -> Int32 {
        if freeHead >= 0 {
            let index = freeHead
            freeHead = nodes[Int(index)].next
            nodes[Int(index)].payload = payload
            nodes[Int(index)].deadline = deadline
            return index
        }
        precondition(nodes.count < Int(Int32.max), "timing wheel arena exhausted")
        nodes.append(Node(payload: payload, deadline: deadline, previous: -1, next: -1, generation: 0, slotIndex: -1))
        return Int32(nodes.count - 1)
    }

    /// Returns the node to the free list, bumping its generation so old handles go stale.
    @inlinable mutating func freeNode(_ index: Int32) -> Payload? {
        let payload = nodes[Int(index)].payload
        nodes[Int(index)].payload = nil
        nodes[Int(index)].generation &+= 1
        nodes[Int(index)].slotIndex = -1
        nodes[Int(index)].next = freeHead
        freeHead = index
        return payload
    }

    /// Moves overflow entries that have come within reach back into the levels.
    @inlinable mutating func rescueOverflow() {
        guard !overflow.isEmpty else { return }
        let pending = overflow
        overflow.removeAll()
        for index in pending { link(index) }
    }
}

extension TimingWheel: Sendable where Payload: Sendable {}
extension TimingWheel.Node: Sendable where Payload: Sendable {}

/// Identifies one scheduled entry of a `TimingWheel`; stale once the entry fired or was cancelled.
public struct TimerHandle: Hashable, Sendable {
    @usableFromInline let index: Int32
    @usableFromInline let generation: UInt32

    @inlinable init(index: Int32, generation: UInt32) {
        self.index = index
        self.generation = generation
    }
}
