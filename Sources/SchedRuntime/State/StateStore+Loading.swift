import SchedCore
public import SchedTime

// MARK: - Opening: load, survive damage, close interrupted runs

extension StateStore {
    /// Opens the store under `directory` (created with mode 0700 when missing), loading what the
    /// previous daemon left. Damaged files are moved aside with a loud log line and reported in
    /// `loadReport`; they never make this fail. Runs the previous daemon started but never finished
    /// are recorded as `interrupted` (in `loadReport.interrupted`) and written back at once.
    ///
    /// - Throws: `StateError` only when the folder or a fresh journal cannot be created or written.
    public static func open(
        directory: String,
        options: Options = Options(),
        logger: Logger,
        now: Instant
    ) throws(StateError) -> StateStore {
        do throws(Errno) {
            try Directory.create(directory)
        } catch {
            throw StateError(code: .openDirectory, path: directory, underlying: error)
        }
        let store = StateStore(directory: directory, options: options, logger: logger)
        store.loadSnapshot(now: now)
        let journalEnd = store.loadJournal(now: now)
        try store.openJournal(validLength: journalEnd)
        store.closeInterruptedRuns()
        try store.flush()
        store.loadReport.jobs = store.jobs.count
        return store
    }

    // MARK: - Snapshot

    func loadSnapshot(now: Instant) {
        guard Directory.exists(snapshotPath) else { return }
        let bytes: [UInt8]
        do throws(Errno) {
            let file = try FileDescriptor.openForReading(snapshotPath)
            defer { file.close() }
            bytes = try file.readAll()
        } catch {
            quarantine(snapshotPath, now: now, message: "unreadable: \(error)")
            return
        }
        let outcome = bytes.withUnsafeBytes { raw -> Result<DecodedSnapshot, SnapshotProblem> in
            switch StateFileFormat.checkHeader(raw, magic: StateFileFormat.snapshotMagic) {
            case .valid: break
            case .wrongMagic: return .failure(SnapshotProblem(message: "not a schedd state snapshot"))
            case .wrongVersion(let version):
                return .failure(
                    SnapshotProblem(
                        message: "format version \(version), this schedd reads \(StateFileFormat.version)"
                    )
                )
            }
            var decoded: DecodedSnapshot?
            let (_, end) = StateFileFormat.scanFrames(raw, from: StateFileFormat.headerSize) { payload in
                guard decoded == nil, let snapshot = try? Self.decodeSnapshot(payload) else { return false }
                decoded = snapshot
                return true
            }
            guard end == .clean, let decoded else {
                return .failure(SnapshotProblem(message: "damaged (checksum or structure)"))
            }
            return .success(decoded)
        }
        switch outcome {
        case .success(let snapshot):
            jobs = snapshot.jobs
            ledger = snapshot.ledger
            sequence = snapshot.sequence
            maxRunNumber = snapshot.maxRunNumber
            snapshotLength = bytes.count
            loadReport.records = snapshot.records
        case .failure(let problem):
            quarantine(snapshotPath, now: now, message: problem.message)
        }
    }

    struct SnapshotProblem: Error {
        var message: String
    }

    // MARK: - Journal

    /// Replays the journal's frames newer than the snapshot. Returns the length of its valid
    /// prefix, or nil when there is no usable journal (missing or moved aside).
    func loadJournal(now: Instant) -> Int? {
        guard Directory.exists(journalPath) else { return nil }
        let bytes: [UInt8]
        do throws(Errno) {
            let file = try FileDescriptor.openForReading(journalPath)
            defer { file.close() }
            bytes = try file.readAll()
        } catch {
            quarantine(journalPath, now: now, message: "unreadable: \(error)")
            return nil
        }
        return bytes.withUnsafeBytes { raw -> Int? in
            switch StateFileFormat.checkHeader(raw, magic: StateFileFormat.journalMagic) {
            case .valid: break
            case .wrongMagic:
                quarantine(journalPath, now: now, message: "not a schedd state journal")
                return nil
            case .wrongVersion(let version):
                let message = "format version \(version), this schedd reads \(StateFileFormat.version)"
                quarantine(journalPath, now: now, message: message)
                return nil
            }
            var frames = 0
            let (validLength, end) = StateFileFormat.scanFrames(raw, from: StateFileFormat.headerSize) { payload in
                guard let (frameSequence, entries) = try? Self.decodeJournalFrame(payload) else { return false }
                if frameSequence <= sequence { return true }  // already in the snapshot
                for entry in entries { applyInMemory(entry) }
                loadReport.records += entries.count { if case .record = $0 { true } else { false } }
                sequence = frameSequence
                frames += 1
                return true
            }
            loadReport.journalFrames = frames
            switch end {
            case .clean:
                break
            case .tornTail:
                let message = "cut \(raw.count - validLength) byte(s) of an incomplete last write"
                logger.warning("state_journal_torn_tail", ["file": .string(journalPath), "bytes": .integer(Int64(raw.count - validLength))])
                loadReport.problems.append(.init(file: journalPath, movedTo: nil, message: message))
            case .corrupt:
                let copy = saveCopy(of: bytes, path: journalPath, now: now)
                let message =
                    "damaged at byte \(validLength) of \(raw.count); kept the \(frames) frame(s) before it"
                logger.error(
                    "state_file_corrupt",
                    [
                        "file": .string(journalPath), "copied_to": .string(copy ?? "-"),
                        "detail": .string(message),
                    ]
                )
                loadReport.problems.append(.init(file: journalPath, movedTo: copy, message: message))
            }
            return validLength
        }
    }

    /// A journal frame's payload: `[UInt64 sequence][varint count][entries]`.
    static func decodeJournalFrame(_ payload: UnsafeRawBufferPointer) throws(ByteReader.Malformed) -> (
        UInt64, [StateEntry]
    ) {
        var reader = ByteReader(payload)
        let sequence = try reader.readUInt64()
        let count = try reader.readCount()
        var entries: [StateEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count { entries.append(try reader.readEntry()) }
        guard reader.isAtEnd else { throw ByteReader.Malformed() }
        return (sequence, entries)
    }

    /// Opens the journal for appending after its valid prefix (cutting off a bad tail durably), or
    /// starts a new one.
    func openJournal(validLength: Int?) throws(StateError) {
        guard let validLength else {
            try startEmptyJournal()
            return
        }
        do throws(Errno) {
            let file = try FileDescriptor.openForUpdate(journalPath, create: false)
            if try file.size() != validLength {
                try file.truncate(to: validLength)
                try file.sync()
            }
            journal = file
            journalLength = validLength
        } catch {
            throw StateError(code: .writeJournal, path: journalPath, underlying: error)
        }
    }

    // MARK: - Interrupted runs

    /// Turns every ledger entry left open into an `interrupted` record (queued for the journal).
    func closeInterruptedRuns() {
        for run in unfinishedRuns {
            let record = run.interruptedRecord
            apply(.record(record))
            if var state = jobs[run.jobID]?.state {
                state.last = record
                apply(.state(state))
            }
            loadReport.interrupted.append(record)
            logger.warning(
                "run_interrupted",
                [
                    "job": .string(run.jobID), "run": .string(String(run.runID.rawValue)),
                    "scheduled": .string(RFC3339.format(run.scheduled)),
                ]
            )
        }
    }

    // MARK: - Damage

    /// Renames a damaged file aside and says so loudly.
    func quarantine(_ path: String, now: Instant, message: String) {
        let target = asidePath(for: path, now: now)
        var movedTo: String? = target
        do throws(Errno) {
            try Directory.rename(path, to: target)
            try Directory.sync(directory)
        } catch {
            // Could not even move it: delete it so the next start does not trip on it again.
            try? Directory.removeFile(path)
            movedTo = nil
        }
        logger.error(
            "state_file_corrupt",
            ["file": .string(path), "moved_to": .string(movedTo ?? "-"), "detail": .string(message)]
        )
        loadReport.problems.append(.init(file: path, movedTo: movedTo, message: message))
    }

    /// Writes a copy of a damaged file's bytes aside (the original is then repaired in place).
    func saveCopy(of bytes: [UInt8], path: String, now: Instant) -> String? {
        let target = asidePath(for: path, now: now)
        do throws(Errno) {
            try replaceFile(target, with: bytes)
            return target
        } catch {
            return nil
        }
    }

    /// `path.corrupt-UNIXTIME`, with a counter when that name is taken.
    func asidePath(for path: String, now: Instant) -> String {
        let base = "\(path).corrupt-\(now.nanosecondsSinceEpoch / 1_000_000_000)"
        var candidate = base
        var counter = 1
        while Directory.exists(candidate) {
            counter += 1
            candidate = "\(base).\(counter)"
        }
        return candidate
    }
}
