// Config subsystem: schedules.toml + drop-ins → `ScheduleConfig`, or every problem at once.
//
// Design:
// - Pure. The loader reads files through `ConfigFileSystem`, loads zones through an injected
//   resolver and takes `now` as a parameter, so tests run against an in-memory file system and a
//   fixed instant, and `schedctl validate` and the daemon share one code path.
// - One pass, every diagnostic. Each table is checked key by key; a bad value produces an error and
//   the loader carries on with the rest, so a user sees all mistakes in one run. A TOML syntax error
//   stops only that file (the decoder cannot recover), and the other files are still checked.
// - Locations point into the user's text: a value's TOML position, or for errors inside a string
//   (a cron field, a duration, a zone name) the column inside the quotes.
// - Order: the main file's `[scheduler]` first (jobs inherit its defaults and zone), then its jobs,
//   then each `include` pattern's files in name order. Drop-ins may contain `[jobs.*]` only; a job id
//   defined earlier is an error unless the later table says `replace_existing = true`.
// - Cost: linear in the file size, plus for each cron job one `next` call for "never fires" and two
//   per DST transition in the coming year for the DST notes.

public import SchedTime

/// Reads files for the loader: the real file system in schedctl and the daemon, a dictionary in tests.
public protocol ConfigFileSystem: Sendable {
    /// The whole content of the file at `path`.
    func readFile(atPath path: String) throws(ConfigFileError) -> [UInt8]
    /// The names (not paths) of the entries of the directory at `path`, in any order.
    func contentsOfDirectory(atPath path: String) throws(ConfigFileError) -> [String]
}

/// Why a config file or folder could not be read (`No such file or directory`).
public struct ConfigFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The system's explanation, e.g. from `strerror`.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The outcome of loading: a config when there are no errors, and every diagnostic either way.
public struct ConfigLoadResult: Sendable {
    /// Nil when any diagnostic is an error.
    public var config: ScheduleConfig?
    /// Errors, warnings and notes, in file order.
    public var diagnostics: [ConfigDiagnostic]

    public var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .warning } }
    public var notes: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .note } }
}

/// Loads and validates a schedule: the main file, its drop-ins, every check in ARCHITECTURE.md.
public struct ConfigLoader: Sendable {
    /// Loads a zone by IANA name (`Europe/Berlin`); the error's description is shown to the user.
    public typealias ZoneResolver = @Sendable (String) throws(ZoneError) -> Zone

    public let fileSystem: any ConfigFileSystem
    public let zoneResolver: ZoneResolver
    /// The zone used when `[scheduler]` sets no `timezone`.
    public let systemZone: Zone

    /// - Parameters:
    ///   - zoneResolver: defaults to `Zone.named`, which reads tzdata (cached per process).
    ///   - systemZone: the caller's `Zone.system()`; tests pass a fixed zone.
    public init(
        fileSystem: any ConfigFileSystem,
        zoneResolver: @escaping ZoneResolver = { name throws(ZoneError) in try Zone.named(name) },
        systemZone: Zone
    ) {
        self.fileSystem = fileSystem
        self.zoneResolver = zoneResolver
        self.systemZone = systemZone
    }

    /// Loads the file at `path` and everything it includes, validating against `now` (used for
    /// "never fires", past `at` times and the DST notes of the next 12 months).
    public func load(path: String, now: Instant) -> ConfigLoadResult {
        var builder = ConfigBuilder(loader: self, now: now)
        builder.loadMainFile(path: path)
        return builder.finish()
    }
}

// MARK: - Paths

/// Path helpers for config-relative paths; plain string work, no file system access.
enum ConfigPath {
    /// The folder part of `path` without its trailing slash; "" for a bare file name.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `path` resolved against `directory`: absolute paths stay as they are.
    static func resolve(_ path: String, against directory: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }
}
