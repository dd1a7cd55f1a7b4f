import SchedCore
public import SchedTime
import Synchronization

// MARK: - Snapshot: encoding and compaction

extension StateStore {
    /// Compacts and waits for it: the snapshot is on disk and the journal empty on return.
    ///
    /// Steps, in this order so that a crash between any two leaves a loadable state:
    /// 1. commit the queue and take a copy of the state as of that frame's sequence S (copy on
    ///    write: the loop goes on mutating its own);
    /// 2. on the writer's queue, after the frames up to S: write `state.snapshot.tmp`, fsync, rename
    ///    over `state.snapshot`, fsync the folder — from here every frame of the old journal has a
    ///    sequence ≤ S and is skipped at load;
    /// 3. write a header-only `state.journal.tmp`, fsync, rename over `state.journal`, fsync the
    ///    folder; frames after S go there.
    ///
    /// - Throws: `StateError` (`.writeSnapshot`) when the snapshot could not be written; the old
    ///   snapshot and journal stay in use.
    public func compact(now: Instant) throws(StateError) {
        startCompaction(now: now)
        journalWriter?.waitUntilIdle()
        if let failure = compaction.failure { throw failure }
    }

    /// Starts a compaction in the background (see `compact(now:)` for the steps) and returns.
    public func startCompaction(now: Instant) {
        guard let journalWriter else { return }
        prune(now: now)
        // Commit even an empty queue's worth so S names this exact state.
        let covered = commit()
        let image = SnapshotImage(sequence: covered, maxRunNumber: maxRunNumber, jobs: jobs, ledger: ledger)
        let directory = directory
        let snapshotPath = snapshotPath
        let journalPath = journalPath
        let status = compaction
        status.begin()
        journalWriter.compact(upTo: covered) { () throws(Errno) in
            var snapshot = ByteWriter(capacity: 64 + image.jobs.count * 64)
            snapshot.bytes += StateFileFormat.header(magic: StateFileFormat.snapshotMagic)
            StateFileFormat.appendFrame(to: &snapshot) { writer in image.encode(into: &writer) }
            try Self.replaceFile(snapshotPath, with: snapshot.bytes, directory: directory)
            let (journal, length) = try Self.createEmptyJournal(journalPath, directory: directory)
            return (journal, length, snapshot.bytes.count)
        } completion: { error in
            status.end(failure: error.map { StateError(code: .writeSnapshot, path: snapshotPath, underlying: $0) })
        }
    }

    /// Replaces the journal with a header-only one; returns it open for appending, and its length.
    static func createEmptyJournal(_ path: String, directory: String) throws(Errno) -> (FileDescriptor, Int) {
        let header = StateFileFormat.header(magic: StateFileFormat.journalMagic)
        try replaceFile(path, with: header, directory: directory)
        return (try FileDescriptor.openForUpdate(path, create: false), header.count)
    }

    /// Durably replaces `path` with `bytes`: temporary file, fsync, rename, fsync of the folder.
    static func replaceFile(_ path: String, with bytes: [UInt8], directory: String) throws(Errno) {
        let temporary = path + ".tmp"
        let file = try FileDescriptor.createTruncating(temporary)
        do throws(Errno) {
            try file.writeAll(bytes, at: 0)
            try file.sync()
            file.close()
        } catch {
            file.close()
            try? Directory.removeFile(temporary)
            throw error
        }
        try Directory.rename(temporary, to: path)
        try Directory.sync(directory)
    }

    /// Whether a background compaction runs (read on the loop, updated on the writer's queue) and
    /// how the last one ended.
    final class CompactionStatus: Sendable {
        private let state = Mutex<(running: Bool, failure: StateError?)>((false, nil))

        var isRunning: Bool { state.withLock { $0.running } }
        var failure: StateError? { state.withLock { $0.failure } }

        func begin() {
            state.withLock { $0.running = true }
        }

        func end(failure: StateError?) {
            state.withLock { $0 = (false, failure) }
        }
    }

    /// A copy of the whole state as of one frame sequence, encoded on the writer's queue.
    struct SnapshotImage: Sendable {
        var sequence: UInt64
        var maxRunNumber: UInt64
        var jobs: [String: StoredJob]
        var ledger: [RunID: StartedRun]

        /// Snapshot payload: `[UInt64 sequence][UInt64 max run number][varint job count]` then per job
        /// `[id][flags: 1 state, 2 removed][state?][removedAt?][varint history count][records]`, then
        /// `[varint ledger count][started runs]`.
        func encode(into writer: inout ByteWriter) {
            writer.write(sequence)
            writer.write(maxRunNumber)
            writer.writeVarint(UInt64(jobs.count))
            for (id, stored) in jobs.sorted(by: { $0.key < $1.key }) {
                writer.write(id)
                var flags: UInt8 = 0
                if stored.state != nil { flags |= 1 }
                if stored.removedAt != nil { flags |= 2 }
                writer.write(flags)
                if let state = stored.state { writer.write(state) }
                if let removedAt = stored.removedAt { writer.write(removedAt) }
                stored.writeHistory(into: &writer)
            }
            writer.writeVarint(UInt64(ledger.count))
            for run in ledger.values.sorted(by: { $0.runID < $1.runID }) { writer.write(run) }
        }
    }

    /// The state a snapshot payload holds; decoded completely before any of it is used.
    struct DecodedSnapshot {
        var sequence: UInt64
        var maxRunNumber: UInt64
        var jobs: [String: StoredJob]
        var ledger: [RunID: StartedRun]
        var records: Int
    }

    static func decodeSnapshot(_ payload: UnsafeRawBufferPointer) throws(ByteReader.Malformed) -> DecodedSnapshot {
        var reader = ByteReader(payload)
        let sequence = try reader.readUInt64()
        let maxRunNumber = try reader.readUInt64()
        let jobCount = try reader.readCount()
        var jobs: [String: StoredJob] = [:]
        jobs.reserveCapacity(jobCount)
        var records = 0
        for _ in 0..<jobCount {
            let id = try reader.readString()
            let flags = try reader.readByte()
            let state = flags & 1 != 0 ? try reader.readPersistedState() : nil
            let removedAt = flags & 2 != 0 ? try reader.readInstant() : nil
            // The history stays encoded (see StoredJob); only its extent is found here.
            let count = try reader.readCount()
            let start = reader.offset
            for _ in 0..<count { try reader.skipRecord() }
            let bytes = [UInt8](UnsafeRawBufferPointer(rebasing: payload[start..<reader.offset]))
            let history = StoredJob.EncodedHistory(bytes: bytes, count: count)
            records += count
            jobs[id] = StoredJob(state: state, encodedHistory: history, removedAt: removedAt)
        }
        let ledgerCount = try reader.readCount()
        var ledger: [RunID: StartedRun] = [:]
        for _ in 0..<ledgerCount {
            let run = try reader.readStartedRun()
            ledger[run.runID] = run
        }
        guard reader.isAtEnd else { throw ByteReader.Malformed() }
        return DecodedSnapshot(
            sequence: sequence,
            maxRunNumber: maxRunNumber,
            jobs: jobs,
            ledger: ledger,
            records: records
        )
    }
}
