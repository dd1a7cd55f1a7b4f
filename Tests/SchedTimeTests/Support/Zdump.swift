import Foundation
import SchedTime
import Synchronization
import Testing

/// glibc's `zdump` (Debian's libc-bin) as an independent oracle on the system's tzdata.
///
/// `zdump -v -c HIYEAR FILE` prints, for every change of a zone's local-time type, the second
/// before and the first second after, each as `UT` and local reading with the UTC offset:
///
///     Europe/Berlin  Sun Mar 29 00:59:59 2026 UT = Sun Mar 29 01:59:59 2026 CET isdst=0 gmtoff=3600
///     Europe/Berlin  Sun Mar 29 01:00:00 2026 UT = Sun Mar 29 03:00:00 2026 CEST isdst=1 gmtoff=7200
///
/// It decodes the same TZif file as `Zone` with glibc's own code, so unlike Foundation (which
/// carries its own ICU copy of tzdata) it agrees with us whatever tzdata release is installed.
enum Zdump {
    /// Where libc-bin installs it; nil when it is not installed.
    static let executable: String? = ["/usr/bin/zdump", "/usr/sbin/zdump", "/bin/zdump"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// A zone's history as zdump reports it: offset changes only, as `ZoneTransition`s.
    struct History: Sendable {
        /// The offset before the first transition.
        var initialOffset: UTCOffset
        /// Every change of the UTC offset, in time order. Changes of the DST flag or abbreviation
        /// alone (`-00` to `+00` in Antarctica/Troll) are dropped, as `Zone` drops them.
        var transitions: [ZoneTransition]

        /// The offset in force at `seconds` since the epoch.
        func offset(at seconds: Int64) -> UTCOffset {
            let count = transitionCount(atOrBefore: seconds)
            return count == 0 ? initialOffset : transitions[count - 1].offsetAfter
        }

        /// Every offset in force at some instant of `[from, through]`.
        func offsets(from: Int64, through: Int64) -> Set<UTCOffset> {
            var result: Set<UTCOffset> = [offset(at: from)]
            var index = transitionCount(atOrBefore: from)
            while index < transitions.count, transitions[index].instant.secondsSinceEpoch <= through {
                result.insert(transitions[index].offsetAfter)
                index += 1
            }
            return result
        }

        /// The transitions strictly after `start` and strictly before `end` (seconds since the epoch).
        func transitions(after start: Int64, before end: Int64) -> [ZoneTransition] {
            transitions.filter { $0.instant.secondsSinceEpoch > start && $0.instant.secondsSinceEpoch < end }
        }

        private func transitionCount(atOrBefore seconds: Int64) -> Int {
            var low = 0
            var high = transitions.count
            while low < high {
                let mid = (low + high) / 2
                if transitions[mid].instant.secondsSinceEpoch <= seconds { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Histories already read, by zone name and end year: `zdump -v` takes ~90 ms for a zone's full
    /// history, and four tests ask for each of 24 zones.
    private static let cache = Mutex<[String: History]>([:])

    /// The history of the TZif file that `Zone.named(name)` reads, from its first transition until
    /// the start of `endYear`. Cached per process.
    static func history(ofZoneNamed name: String, untilYear endYear: Int) throws -> History {
        let key = "\(name) \(endYear)"
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let history = try runZdump(zoneNamed: name, untilYear: endYear)
        cache.withLock { $0[key] = history }
        return history
    }

    private static func runZdump(zoneNamed name: String, untilYear endYear: Int) throws -> History {
        guard let executable else { throw Failure(description: "zdump is not installed") }
        // Hand zdump the very file our loader picks, so both read the same bytes even with $TZDIR.
        let candidates = Zone.zoneInfoFolders().map { $0.hasSuffix("/") ? $0 + name : $0 + "/" + name }
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw Failure(description: "no TZif file for \(name) in \(candidates)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-v", "-c", String(endYear), path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // Read before waiting: a full pipe would otherwise block zdump forever.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "zdump \(path) exited with status \(process.terminationStatus)")
        }
        return try parse(String(decoding: data, as: UTF8.self))
    }

    // MARK: - Parsing

    /// One line of `zdump -v`: a UT instant and the offset in force at it.
    private struct Line {
        var seconds: Int64
        var offset: Int32
    }

    /// Parses `zdump -v` output for one zone: line pairs straddling each change, plus `NULL` lines
    /// for the ends of the time range, which carry nothing.
    static func parse(_ output: String) throws -> History {
        let lines = try output.split(separator: "\n").filter { !$0.hasSuffix("= NULL") }.map(parseLine)
        guard lines.count % 2 == 0, let first = lines.first else {
            throw Failure(description: "zdump printed \(lines.count) lines; expected pairs, at least one")
        }
        var transitions: [ZoneTransition] = []
        for pair in stride(from: 0, to: lines.count, by: 2) {
            let before = lines[pair]
            let after = lines[pair + 1]
            guard after.seconds == before.seconds + 1 else {
                throw Failure(description: "zdump pair \(before.seconds), \(after.seconds) is not one second apart")
            }
            guard before.offset != after.offset else { continue }
            transitions.append(
                ZoneTransition(
                    instant: Instant(secondsSinceEpoch: after.seconds),
                    offsetBefore: UTCOffset(seconds: before.offset),
                    offsetAfter: UTCOffset(seconds: after.offset)
                )
            )
        }
        return History(initialOffset: UTCOffset(seconds: first.offset), transitions: transitions)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `NAME  Sun Mar 29 01:00:00 2026 UT = Sun Mar 29 03:00:00 2026 CEST isdst=1 gmtoff=7200`.
    /// The local reading must equal the UT one plus `gmtoff`, which checks the date parsing.
    private static func parseLine(_ text: Substring) throws -> Line {
        let words = text.split(separator: " ")
        guard let equals = words.firstIndex(of: "="), equals >= 6, words.count >= equals + 9,
            let gmtoff = words.last, gmtoff.hasPrefix("gmtoff="), let offset = Int32(gmtoff.dropFirst(7)),
            let universal = reading(words[(equals - 5)..<(equals - 1)]),
            let local = reading(words[(equals + 2)..<(equals + 6)])
        else { throw Failure(description: "unexpected zdump line: \(text)") }
        let seconds = universal.localSecondsSinceEpoch
        guard local.localSecondsSinceEpoch == seconds + Int64(offset) else {
            throw Failure(description: "zdump line's readings are not \(offset)s apart: \(text)")
        }
        return Line(seconds: seconds, offset: offset)
    }

    /// `Mar 29 01:00:00 2026` (the weekday before it is not needed).
    private static func reading(_ words: ArraySlice<Substring>) -> CivilDateTime? {
        guard words.count == 4 else { return nil }
        let parts = Array(words)
        let time = parts[2].split(separator: ":").compactMap { Int($0) }
        guard let monthIndex = months.firstIndex(of: String(parts[0])), let day = Int(parts[1]),
            let year = Int(parts[3]), time.count == 3
        else { return nil }
        let reading = CivilDateTime(
            year: year,
            month: monthIndex + 1,
            day: day,
            hour: time[0],
            minute: time[1],
            second: time[2]
        )
        return reading.isValid ? reading : nil
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs a test only where zdump is installed. It ships with glibc (Debian's libc-bin), so this
    /// skips, with a visible message, only on unusual systems.
    static var zdumpInstalled: Self {
        .enabled(if: Zdump.executable != nil, "glibc's zdump (libc-bin) is not installed; zdump cross-check skipped")
    }
}
