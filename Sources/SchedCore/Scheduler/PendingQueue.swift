import SchedTime

/// Firings waiting for a slot under `max_concurrent`, served in order of scheduled time (ties in
/// arrival order): a binary min-heap, O(log n) per push and pop.
struct PendingQueue: Sendable {
    private var heap: [(key: Key, firing: Firing)] = []
    private var sequence: UInt64 = 0

    private struct Key: Comparable, Sendable {
        var scheduled: Instant
        var sequence: UInt64
        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.scheduled, lhs.sequence) < (rhs.scheduled, rhs.sequence)
        }
    }

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    mutating func push(_ firing: Firing) {
        sequence += 1
        heap.append((Key(scheduled: firing.scheduled, sequence: sequence), firing))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].key < heap[parent].key else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Firing? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast().firing
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].key < heap[smallest].key { smallest = left }
            if right < heap.count, heap[right].key < heap[smallest].key { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    /// Removes every firing for which `shouldRemove` is true and returns them.
    mutating func removeAll(where shouldRemove: (Firing) -> Bool) -> [Firing] {
        let removed = heap.filter { shouldRemove($0.firing) }.map(\.firing)
        guard !removed.isEmpty else { return [] }
        let kept = heap.filter { !shouldRemove($0.firing) }
        heap = []
        for entry in kept.sorted(by: { $0.key < $1.key }) { heap.append(entry) }
        return removed
    }

    /// The waiting firings in no particular order.
    var firings: [Firing] { heap.map(\.firing) }
}
