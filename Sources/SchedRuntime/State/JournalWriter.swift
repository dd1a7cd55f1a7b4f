import Dispatch
import Synchronization

/// Appends journal frames and runs compactions on a background queue, so the daemon's event loop
/// never waits for the disk: on this class of machine one `fdatasync` costs 3–8 ms, several
/// times the 1 ms a firing may be delayed by persistence (see docs/BENCHMARKS.md, "State store").
///
/// Frames are written in sequence order; frames queued while a sync is in flight go out together
/// in the next write (group commit). A compaction is queued behind the frames it covers: a
/// *barrier* at its sequence keeps later frames out of the old journal, the snapshot and a fresh
/// journal are written, then later frames go to the fresh journal. A failed write cuts the file
/// back to its last good frame and keeps the frames queued; the next submit retries them.
final class JournalWriter: Sendable {
    /// One encoded journal frame.
    struct Frame: Sendable {
        var sequence: UInt64
        var bytes: [UInt8]
    }

    private struct Shared {
        var frames: [Frame] = []
        /// A compaction waits for the frames up to this sequence; later ones must not be written yet.
        var barrier: UInt64?
        var durable: UInt64
        var failure: Errno?
        var file: FileDescriptor?
        var length: Int
        var snapshotLength: Int
    }

    private let shared: Mutex<Shared>
    private let queue = DispatchQueue(label: "schedd.state-journal")
    private let onDurable: @Sendable (UInt64) -> Void

    init(
        file: FileDescriptor,
        length: Int,
        durable: UInt64,
        snapshotLength: Int,
        onDurable: @escaping @Sendable (UInt64) -> Void
    ) {
        shared = Mutex(
            Shared(durable: durable, file: file, length: length, snapshotLength: snapshotLength)
        )
        self.onDurable = onDurable
    }

    /// The highest frame sequence known to be on disk.
    var durableSequence: UInt64 { shared.withLock { $0.durable } }
    /// The last write error, until a write succeeds again.
    var lastFailure: Errno? { shared.withLock { $0.failure } }
    var journalLength: Int { shared.withLock { $0.length } }
    var snapshotLength: Int { shared.withLock { $0.snapshotLength } }

    /// Queues `frame` for writing and returns at once.
    func submit(_ frame: Frame) {
        shared.withLock { $0.frames.append(frame) }
        queue.async { self.drain() }
    }

    /// Blocks until every frame up to `sequence` is on disk.
    ///
    /// - Throws: the write error when they could not be written.
    func waitUntilDurable(_ sequence: UInt64) throws(Errno) {
        queue.sync { drain() }
        let (durable, failure) = shared.withLock { ($0.durable, $0.failure) }
        if durable < sequence { throw failure ?? Errno(rawValue: 5) }  // EIO
    }

    /// Queues a compaction covering frames up to `sequence`. `write` runs on the background
    /// queue: it writes the snapshot and a fresh journal and returns the journal's descriptor and
    /// length and the snapshot's length. `completion` runs there too, with the error if any.
    func compact(
        upTo sequence: UInt64,
        write: @escaping @Sendable () throws(Errno) -> (journal: FileDescriptor, length: Int, snapshotLength: Int),
        completion: @escaping @Sendable (Errno?) -> Void
    ) {
        shared.withLock { $0.barrier = sequence }
        queue.async {
            // 1. Frames the snapshot covers go to the old journal first: if the snapshot fails,
            //    the old journal must still hold them.
            self.drain()
            var failure: Errno?
            do throws(Errno) {
                let written = try write()
                let old = self.shared.withLock { shared -> FileDescriptor? in
                    let old = shared.file
                    shared.file = written.journal
                    shared.length = written.length
                    shared.snapshotLength = written.snapshotLength
                    // 2. Frames the snapshot covers but that could not be written are now safe.
                    shared.frames.removeAll { $0.sequence <= sequence }
                    shared.durable = max(shared.durable, sequence)
                    return old
                }
                old?.close()
            } catch {
                failure = error
            }
            // 3. Later frames go to the fresh journal (or the old one, when compaction failed).
            self.shared.withLock { $0.barrier = nil }
            self.drain()
            completion(failure)
        }
    }

    /// Returns once everything queued so far (frames, compactions) has been done.
    func waitUntilIdle() {
        queue.sync {}
    }

    /// Waits for queued work, then closes the journal.
    func close() {
        queue.sync { drain() }
        shared.withLock { shared in
            shared.file?.close()
            shared.file = nil
        }
    }

    /// Writes every queued frame allowed past the barrier with one `pwrite` and one `fdatasync`.
    /// Runs on `queue` only, so the descriptor and length are not raced.
    private func drain() {
        let (batch, file, offset) = shared.withLock { shared -> ([Frame], FileDescriptor?, Int) in
            let limit = shared.barrier ?? .max
            let count = shared.frames.prefix { $0.sequence <= limit }.count
            let batch = Array(shared.frames.prefix(count))
            shared.frames.removeFirst(count)
            return (batch, shared.file, shared.length)
        }
        guard let last = batch.last else { return }
        guard let file else {
            shared.withLock { $0.frames.insert(contentsOf: batch, at: 0) }
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(batch.reduce(0) { $0 + $1.bytes.count })
        for frame in batch { bytes += frame.bytes }
        do throws(Errno) {
            try file.writeAll(bytes, at: offset)
            try file.syncData()
            shared.withLock { shared in
                shared.length = offset + bytes.count
                shared.durable = max(shared.durable, last.sequence)
                shared.failure = nil
            }
            onDurable(last.sequence)
        } catch {
            // A partial frame must not stay: frames after it would be unreachable at load.
            try? file.truncate(to: offset)
            let durable = shared.withLock { shared in
                shared.frames.insert(contentsOf: batch, at: 0)
                shared.failure = error
                return shared.durable
            }
            // Told too, so a caller waiting for the frame can see `lastFailure` and stop waiting.
            onDurable(durable)
        }
    }
}
