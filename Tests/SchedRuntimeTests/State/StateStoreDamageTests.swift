import SchedCore
import SchedTime
import Testing

@testable import SchedRuntime

/// Damaged state files are survived: cut, garbage, flipped bits, another format version.
@Suite struct StateStoreDamageTests {
    typealias Fixture = StateFixture
    static let t0 = StateFixture.t0

    /// Writes runs 1…`count` of job "a", one flush (one journal frame) each; returns the journal's
    /// bytes and the offset where each frame ends.
    static func journalWithFrames(in directory: String, count: UInt64) throws -> (bytes: [UInt8], ends: [Int]) {
        let store = try Fixture.open(directory)
        var ends: [Int] = []
        for number in 1...count {
            store.recordFinished(Fixture.record(number, job: "a"))
            try store.flush()
            ends.append(Fixture.bytes(directory + "/state.journal").count)
        }
        try store.close()
        return (Fixture.bytes(directory + "/state.journal"), ends)
    }

    @Test("a journal cut at every byte offset loads exactly the frames before the cut, and stays writable")
    func truncatedAtEveryOffset() throws {
        let source = Fixture.temporaryDirectory()
        defer { Fixture.remove(source) }
        let (journal, ends) = try Self.journalWithFrames(in: source, count: 6)
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        for cut in 0...journal.count {
            for name in Fixture.files(in: directory) { try? Directory.removeFile(directory + "/" + name) }
            Fixture.write(Array(journal[..<cut]), to: directory + "/state.journal")
            let store = try Fixture.open(directory)
            let complete = cut < StateFileFormat.headerSize ? 0 : ends.filter { $0 <= cut }.count
            let loaded = store.history(job: "a").map(\.runID.rawValue)
            #expect(loaded == (0..<complete).map { UInt64($0 + 1) }, "cut at \(cut)")
            // A cut inside a frame is a torn tail (a warning), never a corruption copy.
            #expect(!store.loadReport.problems.contains { $0.message.hasPrefix("damaged") }, "cut at \(cut)")
            // Appending after the repaired tail works, and the next load sees both.
            store.recordFinished(Fixture.record(100, job: "a"))
            try store.close()
            let reopened = try Fixture.open(directory)
            #expect(reopened.history(job: "a").map(\.runID.rawValue) == loaded + [100], "cut at \(cut)")
            #expect(reopened.loadReport.problems.isEmpty, "cut at \(cut)")
            try reopened.close()
        }
    }

    @Test("a flipped bit inside a middle frame keeps the frames before it and copies the journal aside")
    func bitFlip() throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        var (journal, ends) = try Self.journalWithFrames(in: directory, count: 5)
        journal[ends[2] - 3] ^= 0x10  // inside frame 3's payload
        Fixture.write(journal, to: directory + "/state.journal")
        let sink = CapturingLogSink()
        let store = try Fixture.open(directory, sink: sink)
        #expect(store.history(job: "a").map(\.runID.rawValue) == [1, 2])
        let problem = try #require(store.loadReport.problems.first)
        #expect(problem.message.hasPrefix("damaged at byte \(ends[1])"))
        let copy = try #require(problem.movedTo)
        #expect(Fixture.bytes(copy) == journal)
        #expect(sink.lines.contains { $0.contains("state_file_corrupt") && $0.contains("level=error") })
    }

    @Test(
        "garbage, an empty file or a foreign file as journal or snapshot is moved aside and the store opens",
        arguments: ["state.journal", "state.snapshot"],
        [[UInt8](), Array("hello, world\n".utf8), [UInt8](repeating: 0xA5, count: 4096)]
    )
    func garbage(file: String, content: [UInt8]) throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        Fixture.write(content, to: directory + "/" + file)
        let sink = CapturingLogSink()
        let store = try Fixture.open(directory, sink: sink)
        #expect(store.jobIDs.isEmpty)
        #expect(store.loadReport.problems.map(\.file) == [directory + "/" + file])
        #expect(Fixture.files(in: directory).contains { $0.hasPrefix(file + ".corrupt-") })
        #expect(sink.lines.contains { $0.contains("state_file_corrupt") })
        // And it works: what is written now loads next time without complaint.
        store.recordFinished(Fixture.record(1, job: "a"))
        try store.close()
        let reopened = try Fixture.open(directory)
        #expect(reopened.history(job: "a").count == 1)
        #expect(reopened.loadReport.problems.isEmpty)
    }

    @Test("a file of another format version is moved aside untouched, never overwritten")
    func wrongVersion() throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        _ = try Self.journalWithFrames(in: directory, count: 2)
        let store = try Fixture.open(directory)
        try store.compact(now: Self.t0)
        try store.close()
        var snapshot = Fixture.bytes(directory + "/state.snapshot")
        snapshot[8] = 99  // version 99: a newer schedd
        Fixture.write(snapshot, to: directory + "/state.snapshot")
        let sink = CapturingLogSink()
        let reopened = try Fixture.open(directory, sink: sink)
        #expect(reopened.history(job: "a").isEmpty)
        let problem = try #require(reopened.loadReport.problems.first)
        #expect(problem.message == "format version 99, this schedd reads 1")
        #expect(Fixture.bytes(try #require(problem.movedTo)) == snapshot)
        #expect(sink.lines.contains { $0.contains("format version 99") })
    }

    @Test("a snapshot with a damaged payload is moved aside; the journal after it still replays")
    func damagedSnapshot() throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        do {
            let store = try Fixture.open(directory)
            store.recordFinished(Fixture.record(1, job: "a"))
            try store.compact(now: Self.t0)
            store.recordFinished(Fixture.record(2, job: "a"))
            try store.close()
        }
        var snapshot = Fixture.bytes(directory + "/state.snapshot")
        snapshot[snapshot.count - 2] ^= 0xFF
        Fixture.write(snapshot, to: directory + "/state.snapshot")
        let store = try Fixture.open(directory)
        #expect(store.history(job: "a").map(\.runID.rawValue) == [2])
        #expect(store.loadReport.problems.first?.file == directory + "/state.snapshot")
    }
}
