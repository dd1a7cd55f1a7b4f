import Glibc
import Synchronization

/// Zones loaded by name, keyed by the search folders and the name, so each TZif file is read and
/// expanded once per process however many jobs name it.
private let zoneCache = Mutex<[String: Zone]>([:])

extension Zone {
    /// The folder Debian and most Linux distributions install tzdata in.
    public static let defaultZoneInfoFolder = "/usr/share/zoneinfo"

    /// Largest TZif file we read; real ones are under 4 KB, so anything bigger is not zone data.
    private static let maximumFileSize = 1 << 20

    // MARK: - By name

    /// The zone called `name`.
    ///
    /// Accepted names:
    /// - `UTC`, `Etc/UTC`, `GMT`, `Etc/GMT` and `Z`: UTC, without needing tzdata.
    /// - Fixed offsets written as in ISO 8601: `+05:30`, `-04:00`, `+0530`, `-04`. We deliberately
    ///   do not accept `UTC+3`: POSIX reads it as three hours *west* (and tzdata's `Etc/GMT+3` is
    ///   UTC-03:00), so either reading would surprise someone.
    /// - A tzdata name (`Europe/Berlin`), looked up in `$TZDIR` (when set) and then in
    ///   `/usr/share/zoneinfo`. Names that are absolute paths or contain `..` are refused so a
    ///   config cannot make us read arbitrary files.
    ///
    /// Loaded zones are cached: the file is read once per process.
    ///
    /// - Throws: `ZoneError` with code `unknownZone` (naming the folders searched) when no file
    ///   exists or the name is refused, `invalidData` when the file is not valid TZif.
    public static func named(_ name: String) throws(ZoneError) -> Zone {
        try named(name, searching: zoneInfoFolders())
    }

    /// The zone called `name`, searching only `folders` for tzdata files (in order). Built-in
    /// names (`UTC`, fixed offsets) work as in `named(_:)`; results are cached per folder list.
    public static func named(_ name: String, searching folders: [String]) throws(ZoneError) -> Zone {
        if let builtIn = builtInZone(named: name) { return builtIn }
        if let refusal = refusalReason(forName: name) {
            throw ZoneError(code: .unknownZone, zone: name, searched: folders, detail: refusal)
        }
        let key = folders.joined(separator: "\u{0}") + "\u{0}\u{0}" + name
        if let cached = zoneCache.withLock({ $0[key] }) { return cached }
        // Read outside the lock: two threads racing on a first load both read the file, and the
        // first to store wins, which is harmless and keeps file I/O out of the critical section.
        for folder in folders {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            guard let bytes = readFile(atPath: path) else { continue }
            let zone = try Zone(tzifData: bytes, identifier: name, source: path)
            return zoneCache.withLock { cache in
                if let existing = cache[key] { return existing }
                cache[key] = zone
                return zone
            }
        }
        throw ZoneError(code: .unknownZone, zone: name, searched: folders)
    }

    /// The folders `named(_:)` searches: `$TZDIR` when set and not empty, then
    /// `/usr/share/zoneinfo`.
    public static func zoneInfoFolders() -> [String] {
        var folders: [String] = []
        if let tzdir = environmentValue("TZDIR"), !tzdir.isEmpty, tzdir != defaultZoneInfoFolder {
            folders.append(tzdir)
        }
        folders.append(defaultZoneInfoFolder)
        return folders
    }

    // MARK: - From files and bytes

    /// Reads the TZif file at `path` directly (not cached). For tests, tools and `/etc/localtime`.
    ///
    /// - Parameter identifier: the zone's name; defaults to `path`.
    /// - Throws: `ZoneError.unknownZone` when the file cannot be read, `invalidData` when its
    ///   contents are not TZif.
    public static func load(contentsOf path: String, identifier: String? = nil) throws(ZoneError) -> Zone {
        guard let bytes = readFile(atPath: path) else {
            throw ZoneError(code: .unknownZone, zone: identifier ?? path, searched: [path])
        }
        return try Zone(tzifData: bytes, identifier: identifier ?? path, source: path)
    }

    /// Decodes TZif bytes (RFC 8536, versions 1–4).
    ///
    /// - Throws: `ZoneError.invalidData` describing the first problem found.
    public convenience init(tzifData bytes: [UInt8], identifier: String) throws(ZoneError) {
        try self.init(tzifData: bytes, identifier: identifier, source: "TZif data")
    }

    private convenience init(tzifData bytes: [UInt8], identifier: String, source: String) throws(ZoneError) {
        let table: ZoneTable
        do {
            table = try TZif.table(from: bytes)
        } catch {
            throw ZoneError(code: .invalidData, zone: identifier, searched: [source], detail: error.detail)
        }
        self.init(identifier: identifier, table: table)
    }

    /// A zone following the POSIX TZ rule `text` (`EST5EDT,M3.2.0,M11.1.0`, `<+0330>-3:30`) for all
    /// time, or nil when `text` is not a valid rule. Used for `TZ` values that name no file.
    public static func posixRule(_ text: String) -> Zone? {
        guard let rule = POSIXTimeZoneRule(text) else { return nil }
        var table = ZoneTable(initialOffset: UTCOffset(seconds: rule.standardOffset))
        table.extend(with: rule, after: nil)
        return Zone(identifier: text, table: table)
    }

    // MARK: - The system zone

    /// The zone this machine's local time uses, never failing.
    ///
    /// Order, as glibc does it: `$TZ` (a leading `:` is dropped; empty means UTC; an absolute path
    /// is read as a TZif file; otherwise a zone name, and failing that a POSIX TZ rule), then
    /// `/etc/localtime` (its symlink target under a `zoneinfo/` folder gives the identifier, e.g.
    /// `Europe/Berlin`; otherwise the file is read and called `localtime`), then UTC.
    public static func system() -> Zone {
        if var tz = environmentValue("TZ") {
            if tz.hasPrefix(":") { tz.removeFirst() }
            if tz.isEmpty { return .utc }
            if tz.hasPrefix("/") {
                return (try? load(contentsOf: tz, identifier: zoneName(fromPath: tz) ?? tz)) ?? .utc
            }
            if let zone = try? named(tz) { return zone }
            return posixRule(tz) ?? .utc
        }
        let localtime = "/etc/localtime"
        if let target = symlinkTarget(localtime), let name = zoneName(fromPath: target),
            let zone = try? named(name)
        {
            return zone
        }
        return (try? load(contentsOf: localtime, identifier: "localtime")) ?? .utc
    }

    // MARK: - Helpers

    /// UTC spellings and fixed offsets, which need no tzdata.
    private static func builtInZone(named name: String) -> Zone? {
        switch name {
        case "UTC": return .utc
        case "Etc/UTC", "GMT", "Etc/GMT", "Z": return Zone(identifier: name, initialOffset: .zero)
        default: return fixedOffset(name).map { Zone.fixed($0) }
        }
    }

    /// `±HH:MM`, `±HHMM` or `±HH` with hours 0–23 and minutes 0–59.
    static func fixedOffset(_ text: String) -> UTCOffset? {
        var scanner = ASCIIScanner(text)
        let sign: Int32
        if scanner.take("+") {
            sign = 1
        } else if scanner.take("-") {
            sign = -1
        } else {
            return nil
        }
        guard let hours = scanner.digits(2), hours <= 23 else { return nil }
        var minutes = 0
        if !scanner.isAtEnd {
            _ = scanner.take(":")
            guard let value = scanner.digits(2), value <= 59 else { return nil }
            minutes = value
        }
        guard scanner.isAtEnd else { return nil }
        return UTCOffset(seconds: sign * Int32(hours * 3600 + minutes * 60))
    }

    /// Why `name` may not be used as a path below a zoneinfo folder, or nil when it may.
    private static func refusalReason(forName name: String) -> String? {
        if name.isEmpty { return "the name is empty" }
        if name.hasPrefix("/") { return "absolute paths are not zone names" }
        if name.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." }) {
            return "'.' and '..' are not allowed in zone names"
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" }) {
            return "the name contains control characters"
        }
        return nil
    }

    /// `Europe/Berlin` for `/usr/share/zoneinfo/Europe/Berlin` (any `…/zoneinfo/` prefix, and the
    /// `posix/` variant folder), or nil when the path is not under a zoneinfo folder.
    static func zoneName(fromPath path: String) -> String? {
        let marker = "/zoneinfo/"
        guard let range = path.ranges(of: marker).last else { return nil }
        var name = String(path[range.upperBound...])
        if name.hasPrefix("posix/") { name.removeFirst("posix/".count) }
        return name.isEmpty || refusalReason(forName: name) != nil ? nil : name
    }

    private static func environmentValue(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// The target of the symlink at `path`, made absolute against the link's folder.
    private static func symlinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = buffer.withUnsafeMutableBufferPointer { pointer -> Int in
            guard let base = pointer.baseAddress else { return -1 }
            return readlink(path, base, pointer.count - 1)
        }
        guard length > 0 else { return nil }
        let target = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if target.hasPrefix("/") { return target }
        let folder = path.split(separator: "/").dropLast().joined(separator: "/")
        return "/" + folder + "/" + target
    }

    /// The whole file at `path`, or nil when it cannot be opened or read (missing, a folder, no
    /// permission) or exceeds `maximumFileSize`.
    private static func readFile(atPath path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return contents }
            contents.append(contentsOf: buffer[0..<count])
            if contents.count > maximumFileSize { return nil }
        }
    }
}
