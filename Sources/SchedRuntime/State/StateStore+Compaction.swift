import SchedCore
public import SchedTime

// MARK: - Snapshot: encoding and compaction

extension StateStore {
    /// Writes the whole state as a new snapshot and starts an empty journal.
    ///
    /// Steps, in this order so that a crash between any two leaves a loadable state:
    /// 1. flush the queue, so the snapshot covers every frame up to `sequence`;
    /// 2. write `state.snapshot.tmp`, fsync it, rename it over `state.snapshot`, fsync the folder —
    ///    from here the old journal's frames all have sequence ≤ the snapshot's and are skipped;
    /// 3. write a header-only `state.journal.tmp`, fsync, rename over `state.journal`, fsync the folder.
    public func compact(now: Instant) throws(StateError) {
        try flush()
        prune(now: now)
        var snapshot = ByteWriter(capacity: 64 + jobs.count * 64)
        snapshot.bytes += StateFileFormat.header(magic: StateFileFormat.snapshotMagic)
        StateFileFormat.appendFrame(to: &snapshot) { writer in encodeSnapshot(into: &writer) }
        do throws(Errno) {
            try replaceFile(snapshotPath, with: snapshot.bytes)
        } catch {
            throw StateError(code: .writeSnapshot, path: snapshotPath, underlying: error)
        }
        snapshotLength = snapshot.bytes.count
        try startEmptyJournal()
    }

    /// Replaces the journal with a header-only one and opens it for appending.
    func startEmptyJournal() throws(StateError) {
        let header = StateFileFormat.header(magic: StateFileFormat.journalMagic)
        do throws(Errno) {
            try replaceFile(journalPath, with: header)
            let file = try FileDescriptor.openForUpdate(journalPath, create: false)
            journal?.close()
            journal = file
            journalLength = header.count
        } catch {
            throw StateError(code: .writeJournal, path: journalPath, underlying: error)
        }
    }

    /// Durably replaces `path` with `bytes`: temporary file, fsync, rename, fsync of the folder.
    func replaceFile(_ path: String, with bytes: [UInt8]) throws(Errno) {
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

    /// Snapshot payload: `[UInt64 sequence][UInt64 max run number][varint job count]` then per job
    /// `[id][flags: 1 state, 2 removed][state?][removedAt?][varint history count][records]`, then
    /// `[varint ledger count][started runs]`.
    func encodeSnapshot(into writer: inout ByteWriter) {
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
            writer.writeVarint(UInt64(stored.history.count))
            for record in stored.history { writer.write(record) }
        }
        writer.writeVarint(UInt64(ledger.count))
        for run in unfinishedRuns { writer.write(run) }
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
            var stored = StoredJob()
            if flags & 1 != 0 { stored.state = try reader.readPersistedState() }
            if flags & 2 != 0 { stored.removedAt = try reader.readInstant() }
            let count = try reader.readCount()
            stored.history.reserveCapacity(count)
            for _ in 0..<count { stored.history.append(try reader.readRecord(job: id)) }
            records += count
            jobs[id] = stored
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
