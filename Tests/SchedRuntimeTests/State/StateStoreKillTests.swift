import Foundation
import SchedCore
import SchedTime
import Testing

@testable import SchedRuntime

/// kill -9 at random moments: a child process (`schedbench state-torture`) appends runs to the
/// store and acknowledges each durable step on stdout; the test kills it, reopens the store and
/// checks that nothing acknowledged is lost and nothing is there twice. Ten rounds, one folder.
@Suite(.serialized) struct StateStoreKillTests {
    typealias Fixture = StateFixture

    /// `schedbench`, built next to the test bundle.
    static var torturePath: String? {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        let path = (executable as NSString).deletingLastPathComponent + "/schedbench"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    @Test(
        "no acknowledged run is lost or duplicated across ten kill -9s, and history stays ordered",
        .enabled(if: torturePath != nil),
        .hangGuard
    )
    func killLoop() throws {
        let directory = Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        let jobs = ["alpha", "beta", "gamma"]
        var finished = Set<UInt64>()  // acknowledged "F n"
        var started = Set<UInt64>()  // acknowledged "S n"
        var next: UInt64 = 1
        var generator = SystemRandomNumberGenerator()
        for round in 0..<10 {
            let output = Pipe()
            let child = Process()
            child.executableURL = URL(fileURLWithPath: try #require(Self.torturePath))
            child.arguments = ["state-torture", directory, String(next)]
            child.standardOutput = output
            child.standardError = FileHandle.nullDevice
            try child.run()
            usleep(UInt32.random(in: 50_000...250_000, using: &generator))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal, "round \(round): the child died on its own")
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard parts.count == 2, let number = UInt64(parts[1]) else { continue }  // a torn last line
                if parts[0] == "S" { started.insert(number) } else if parts[0] == "F" { finished.insert(number) }
            }

            let store = try Fixture.open(directory)
            store.apply(config: StateTortureConfig.config(jobs), now: Fixture.t0)
            #expect(store.loadReport.problems.allSatisfy { $0.movedTo == nil }, "round \(round): real damage")
            var seen: [UInt64: RunResult] = [:]
            for job in jobs {
                let ids = store.history(job: job).map(\.runID.rawValue)
                #expect(ids == ids.sorted(), "round \(round): \(job) out of order")
                for record in store.history(job: job) {
                    #expect(seen[record.runID.rawValue] == nil, "round \(round): run \(record.runID) twice")
                    seen[record.runID.rawValue] = record.result
                }
            }
            for number in finished {
                #expect(seen[number] == .ok, "round \(round): finished run \(number) lost")
            }
            for number in started.subtracting(finished) {
                #expect(seen[number] != nil, "round \(round): started run \(number) has no record")
            }
            // Nothing was recorded that the child never got to (it starts one run at a time).
            let highest = max(started.max() ?? 0, finished.max() ?? 0)
            #expect(seen.keys.allSatisfy { $0 <= highest + 1 }, "round \(round): a record from nowhere")
            #expect(store.unfinishedRuns.isEmpty)
            next = store.nextRunNumber
            try store.close()
        }
        #expect(finished.count > 10, "the child made too little progress to prove anything")
    }
}

/// The torture child's jobs (with an unbounded history, so nothing is trimmed away).
enum StateTortureConfig {
    static func config(_ ids: [String]) -> ScheduleConfig {
        StateFixture.config(ids, history: 1_000_000)
    }
}
