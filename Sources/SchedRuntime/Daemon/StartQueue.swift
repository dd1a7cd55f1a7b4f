public import SchedCore

/// Run requests waiting to be spawned, first in first out (see `Daemon.drainStartQueue`).
public struct StartQueue {
    /// Runs spawned per event-loop iteration before the loop gets to reap finished ones.
    public static let batchSize = 8

    private var requests: [RunRequest] = []
    private var head = 0
    /// Spawns left in this loop iteration.
    var budget = batchSize
    /// True while a zero-delay timer will continue draining.
    var isContinuationScheduled = false

    public init() {}

    public var isEmpty: Bool { head == requests.count }
    public var count: Int { requests.count - head }

    public mutating func append(_ request: RunRequest) {
        requests.append(request)
    }

    /// The oldest request, removed; nil when empty.
    public mutating func popFirst() -> RunRequest? {
        guard head < requests.count else { return nil }
        let request = requests[head]
        head += 1
        if head == requests.count {
            requests.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 && head * 2 > requests.count {
            requests.removeFirst(head)
            head = 0
        }
        return request
    }

    /// Removes and returns the queued request for `run`, if any.
    public mutating func remove(_ run: RunID) -> RunRequest? {
        guard let index = requests[head...].firstIndex(where: { $0.runID == run }) else { return nil }
        return requests.remove(at: index)
    }
}
