/// Pending monotonic timers ordered by deadline: a binary min-heap with lazy cancellation.
///
/// The loop arms one `CLOCK_MONOTONIC` timerfd for `earliestDeadline` and, when it fires, pops every
/// expired timer. Cancelling only forgets the id; the heap entry is skipped when it surfaces, and the heap
/// is rebuilt when dead entries outnumber live ones, so memory stays proportional to live timers.
/// Complexity: O(log n) schedule and pop, O(1) cancel, O(1) earliest deadline (amortised).
struct MonotonicTimerQueue {
    private struct Entry {
        var deadline: MonotonicInstant
        var id: UInt64

        /// Orders by deadline, then by scheduling order so equal deadlines fire first-in first-out.
        func precedes(_ other: Entry) -> Bool {
            deadline != other.deadline ? deadline < other.deadline : id < other.id
        }
    }

    private var heap: [Entry] = []
    private var live: Set<UInt64> = []

    /// Number of timers that are scheduled and not cancelled.
    var count: Int { live.count }

    /// Adds timer `id` (unique, increasing) expiring at `deadline`.
    mutating func schedule(id: UInt64, at deadline: MonotonicInstant) {
        live.insert(id)
        heap.append(Entry(deadline: deadline, id: id))
        siftUp(heap.count - 1)
    }

    /// Forgets timer `id`; returns whether it was pending.
    @discardableResult
    mutating func cancel(id: UInt64) -> Bool {
        guard live.remove(id) != nil else { return false }
        if heap.count > 64 && heap.count > 2 * live.count {
            heap.removeAll { !live.contains($0.id) }
            for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) {
                siftDown(index)
            }
        }
        return true
    }

    /// The earliest live deadline, or nil when nothing is pending.
    mutating func earliestDeadline() -> MonotonicInstant? {
        discardCancelledTop()
        return heap.first?.deadline
    }

    /// Removes and returns the ids of live timers with `deadline <= now`, earliest first.
    mutating func popExpired(now: MonotonicInstant) -> [UInt64] {
        var expired: [UInt64] = []
        while true {
            discardCancelledTop()
            guard let top = heap.first, top.deadline <= now else { return expired }
            removeTop()
            live.remove(top.id)
            expired.append(top.id)
        }
    }

    // MARK: - Heap mechanics

    private mutating func discardCancelledTop() {
        while let top = heap.first, !live.contains(top.id) {
            removeTop()
        }
    }

    private mutating func removeTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count && heap[right].precedes(heap[smallest]) { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
