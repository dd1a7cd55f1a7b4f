import SchedCore
import SchedTime

/// A file system held in a dictionary of path → contents; folders are implied by the paths.
struct InMemoryFileSystem: ConfigFileSystem {
    var files: [String: [UInt8]]

    init(_ files: [String: String]) {
        self.files = files.mapValues { Array($0.utf8) }
    }

    init(bytes: [String: [UInt8]]) {
        files = bytes
    }

    func readFile(atPath path: String) throws(ConfigFileError) -> [UInt8] {
        guard let bytes = files[path] else { throw ConfigFileError("No such file or directory") }
        return bytes
    }

    func contentsOfDirectory(atPath path: String) throws(ConfigFileError) -> [String] {
        let prefix = path == "." ? "" : (path.hasSuffix("/") ? path : path + "/")
        let names = files.keys.compactMap { file -> String? in
            guard file.hasPrefix(prefix) else { return nil }
            let rest = file.dropFirst(prefix.count)
            return rest.contains("/") ? nil : String(rest)
        }
        guard !names.isEmpty else { throw ConfigFileError("No such file or directory") }
        return names
    }
}

enum ConfigFixture {
    /// 2026-11-28T12:00:00Z, a Saturday.
    static let now = Instant(secondsSinceEpoch: 1_795_867_200)

    /// Loads `main` (default `schedules.toml`) from `files`, with UTC as the system zone.
    static func load(
        _ files: [String: String],
        main: String = "schedules.toml",
        now: Instant = ConfigFixture.now,
        systemZone: Zone = .utc
    ) -> ConfigLoadResult {
        ConfigLoader(fileSystem: InMemoryFileSystem(files), systemZone: systemZone).load(path: main, now: now)
    }

    /// Loads a single `schedules.toml` with `text`.
    static func load(_ text: String, now: Instant = ConfigFixture.now) -> ConfigLoadResult {
        load(["schedules.toml": text], now: now)
    }

    /// The headlines (`file:line:column: severity: message`) of `result`'s diagnostics.
    static func headlines(_ result: ConfigLoadResult) -> [String] {
        result.diagnostics.map(\.headline)
    }

    static func instant(_ text: String) -> Instant {
        guard let instant = RFC3339.parse(text) else { preconditionFailure("bad fixture time \(text)") }
        return instant
    }
}
