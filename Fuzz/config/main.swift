// Fuzz target: config validation on top of the TOML decoder (`ConfigLoader`).
//
// Input: one or more files separated by lines reading `#---`. The first is `schedules.toml`, the
// others `schedules.d/01.toml`, `schedules.d/02.toml`, … in an in-memory file system, so a main
// file with `include = "schedules.d/*.toml"` pulls them in as drop-ins. Zones come from the
// system's tzdata through `Zone.named`, as in the daemon.
//
// Properties (a violation traps, which libFuzzer records as a crash):
// 1. Loading never traps, whatever the bytes; it returns a config or diagnostics.
// 2. A config comes back exactly when there is no error diagnostic.
// 3. Every diagnostic points at a file that was given, at line ≥ 1 and column ≥ 1, and renders.
// 4. Job ids are unique, and every job's next fire time (as `schedctl next` computes it) is later
//    than now or absent.

import SchedCore
import SchedTime

/// The files of one input, by path.
private struct FuzzFileSystem: ConfigFileSystem {
    var files: [String: [UInt8]]

    func readFile(atPath path: String) throws(ConfigFileError) -> [UInt8] {
        guard let bytes = files[path] else { throw ConfigFileError("No such file or directory") }
        return bytes
    }

    func contentsOfDirectory(atPath path: String) throws(ConfigFileError) -> [String] {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        let names = files.keys.compactMap { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil }
        guard !names.isEmpty else { throw ConfigFileError("No such file or directory") }
        return names.filter { !$0.contains("/") }
    }
}

/// 2026-11-28T12:00:00Z, as in the config tests.
private let now = Instant(secondsSinceEpoch: 1_795_867_200)

private func fail(_ message: String) -> Never {
    // `fatalError`, not `preconditionFailure`: only it keeps its message in optimised builds.
    fatalError("config fuzz: \(message)")
}

/// Splits the input at lines that read exactly `#---`.
private func files(in bytes: UnsafeBufferPointer<UInt8>) -> [String: [UInt8]] {
    let separator = Array("#---\n".utf8)
    var parts: [[UInt8]] = [[]]
    var lineStart = true
    var index = 0
    while index < bytes.count {
        if lineStart, bytes.count - index >= separator.count,
            zip(separator.indices, separator).allSatisfy({ bytes[index + $0] == $1 })
        {
            parts.append([])
            index += separator.count
            continue
        }
        parts[parts.count - 1].append(bytes[index])
        lineStart = bytes[index] == UInt8(ascii: "\n")
        index += 1
    }
    var files = ["schedules.toml": parts[0]]
    for (number, part) in parts.dropFirst().enumerated() {
        files["schedules.d/\(number < 9 ? "0" : "")\(number + 1).toml"] = part
    }
    return files
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let fileSystem = FuzzFileSystem(files: files(in: UnsafeBufferPointer(start: data, count: size)))
    let loader = ConfigLoader(fileSystem: fileSystem, systemZone: .utc)
    let result = loader.load(path: "schedules.toml", now: now)

    guard (result.config == nil) == !result.errors.isEmpty else {
        fail("config is \(result.config == nil ? "nil" : "set") with \(result.errors.count) errors")
    }
    for diagnostic in result.diagnostics {
        let location = diagnostic.location
        guard fileSystem.files[location.file] != nil, location.line >= 1, location.column >= 1 else {
            fail("diagnostic points nowhere: \(diagnostic.headline)")
        }
        _ = diagnostic.description
    }
    guard let config = result.config else { return 0 }
    guard Set(config.jobs.map(\.id)).count == config.jobs.count else { fail("duplicate job ids") }
    for job in config.jobs {
        if let fire = job.nextFire(after: now), fire <= now {
            fail("job \(job.id) fires at \(fire), not after now")
        }
    }
    return 0
}
