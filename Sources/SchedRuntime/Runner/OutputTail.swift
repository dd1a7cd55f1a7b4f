/// The last `capacity` bytes a job wrote (stdout and stderr interleaved in arrival order), for the run
/// record.
///
/// A fixed-size ring: memory is `capacity` bytes however much the job writes; appending is O(bytes).
struct OutputTail {
    /// The most bytes kept (64 KiB by default).
    let capacity: Int
    private var ring: [UInt8]
    /// Where the next byte goes.
    private var writeIndex = 0
    /// Every byte ever appended, kept or not.
    private(set) var totalBytes = 0

    init(capacity: Int) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
        ring = []
    }

    /// Bytes actually allocated for the ring (for memory-bound checks); never exceeds `capacity`.
    var storageBytes: Int { ring.count }

    /// True when older output was dropped.
    var isTruncated: Bool { totalBytes > capacity }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        totalBytes += bytes.count
        // Only the last `capacity` bytes of this chunk can survive.
        let chunk =
            bytes.count > capacity ? UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - capacity)...]) : bytes
        if ring.isEmpty {
            // Exactly `capacity`, so array growth never over-allocates.
            ring.reserveCapacity(capacity)
        }
        if ring.count < capacity {
            // Still filling: the ring is a plain prefix (writeIndex == ring.count).
            let fits = min(chunk.count, capacity - ring.count)
            ring.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<fits]))
            writeIndex = ring.count % capacity
            if fits == chunk.count { return }
            copyIntoRing(UnsafeRawBufferPointer(rebasing: chunk[fits...]))
        } else {
            copyIntoRing(chunk)
        }
    }

    /// The kept bytes, oldest first.
    var bytes: [UInt8] {
        if ring.count < capacity { return ring }
        return Array(ring[writeIndex...] + ring[..<writeIndex])
    }

    /// The kept bytes as text; a character cut at the start or invalid UTF-8 becomes U+FFFD.
    var text: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Overwrites the full ring from `writeIndex`, wrapping around; `chunk.count <= capacity`.
    private mutating func copyIntoRing(_ chunk: UnsafeRawBufferPointer) {
        ring.withUnsafeMutableBytes { storage in
            let first = min(chunk.count, capacity - writeIndex)
            UnsafeMutableRawBufferPointer(rebasing: storage[writeIndex..<(writeIndex + first)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: chunk[..<first]))
            let second = chunk.count - first
            if second > 0 {
                UnsafeMutableRawBufferPointer(rebasing: storage[..<second])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: chunk[first...]))
            }
        }
        writeIndex = (writeIndex + chunk.count) % capacity
    }
}
