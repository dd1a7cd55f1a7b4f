import SchedCron
import SchedTime
import TOML

/// The mutable state of one load: what has been read so far and every diagnostic.
///
/// Each `read…` method reports its own problems and returns nil for a value it could not use, so
/// callers just carry on with the next key. Errors inside strings point inside the quotes.
struct ConfigBuilder {
    let loader: ConfigLoader
    let now: Instant
    private(set) var diagnostics: [ConfigDiagnostic] = []
    private(set) var errorCount = 0
    /// Files read, main file first.
    var files: [String] = []
    var settings: SchedulerSettings
    /// Valid jobs in definition order.
    var jobs: [JobConfig] = []
    /// Index of each valid job in `jobs`.
    private var jobIndex: [String: Int] = [:]
    /// Where each job id was (last) defined, valid or not, for duplicate detection.
    var definitions: [String: SourceLocation] = [:]
    /// `include` patterns with where they were written, read from the main file's `[scheduler]`.
    var includePatterns: [(pattern: String, position: TOMLPosition)] = []
    private var zoneCache: [String: Result<Zone, ZoneError>] = [:]
    /// Parsed cron expressions by text, for texts without `H` (see `parseCron`).
    var cronCache: [String: CronExpression] = [:]
    /// DST notes by expression, zone and policy (see `addDSTNotes`).
    var dstNoteCache: [DSTNoteKey: [DSTNote]] = [:]

    init(loader: ConfigLoader, now: Instant) {
        self.loader = loader
        self.now = now
        settings = SchedulerSettings(zone: loader.systemZone)
    }

    /// The result: a config only when no error was reported. Diagnostics are ordered by file (in
    /// reading order), then line and column, so they read top to bottom like the files.
    func finish() -> ConfigLoadResult {
        let config = errorCount == 0 ? ScheduleConfig(settings: settings, jobs: jobs, files: files) : nil
        var fileOrder: [String: Int] = [:]
        for (index, file) in files.enumerated() where fileOrder[file] == nil { fileOrder[file] = index }
        // Sort keys are computed once: a big schedule can have thousands of DST notes.
        let keys = diagnostics.enumerated().map { index, diagnostic in
            (
                fileOrder[diagnostic.location.file] ?? Int.max, diagnostic.location.line, diagnostic.location.column,
                index
            )
        }
        let ordered = keys.sorted { $0 < $1 }.map { diagnostics[$0.3] }
        return ConfigLoadResult(config: config, diagnostics: ordered)
    }

    // MARK: - Files

    /// Loads the main file: `[scheduler]`, its jobs, then its drop-ins.
    mutating func loadMainFile(path: String) {
        guard let (source, root) = readDocument(path: path) else { return }
        checkKeys(root, allowed: ["scheduler", "jobs"], context: "the top level", source)
        if let entry = root.entry("scheduler"), let table = table(entry.value, "scheduler", source) {
            readScheduler(table, source)
        }
        readJobs(root, source)
        loadIncludes(mainFile: source)
    }

    /// Reads and decodes one file, reporting an unreadable file or a TOML error.
    mutating func readDocument(path: String) -> (SourceText, TOMLTable)? {
        files.append(path)
        let bytes: [UInt8]
        do throws(ConfigFileError) {
            bytes = try loader.fileSystem.readFile(atPath: path)
        } catch {
            report(ConfigDiagnostic(.error, "cannot read '\(path)': \(error.message)", at: wholeFile(path)))
            return nil
        }
        let source = SourceText(path: path, bytes: bytes)
        do throws(TOMLError) {
            return (source, try TOMLDecoder.decode(bytes))
        } catch {
            self.error(error.message, at: error.position, source)
            return nil
        }
    }

    /// Applies each `include` pattern in turn; within a pattern, files load in byte order of name.
    mutating func loadIncludes(mainFile: SourceText) {
        let base = ConfigPath.directory(of: mainFile.path)
        var seen = Set(files)
        for (pattern, position) in includePatterns {
            let full = ConfigPath.resolve(pattern, against: base)
            let directory = ConfigPath.directory(of: full)
            let namePattern = full.hasSuffix("/") ? "" : String(full.split(separator: "/").last ?? "")
            if GlobPattern.hasWildcards(directory) {
                error(
                    "only the last path component of 'include' may contain wildcards, as in \"schedules.d/*.toml\"",
                    at: position,
                    mainFile
                )
                continue
            }
            guard !namePattern.isEmpty else {
                error("'include' must name files, as in \"schedules.d/*.toml\"", at: position, mainFile)
                continue
            }
            let names: [String]
            do throws(ConfigFileError) {
                names = try loader.fileSystem.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)
            } catch {
                let folder = directory.isEmpty ? "." : directory
                warning(
                    "include pattern '\(pattern)' matches no files (cannot read folder '\(folder)': \(error.message))",
                    at: position,
                    mainFile
                )
                continue
            }
            let glob = GlobPattern(namePattern)
            let matches = names.filter(glob.matches).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            if matches.isEmpty {
                warning("include pattern '\(pattern)' matches no files", at: position, mainFile)
            }
            for name in matches {
                let path = ConfigPath.resolve(name, against: directory)
                guard seen.insert(path).inserted else { continue }
                loadDropIn(path: path, mainFile: mainFile.path)
            }
        }
    }

    /// A drop-in holds `[jobs.*]` tables only.
    mutating func loadDropIn(path: String, mainFile: String) {
        guard let (source, root) = readDocument(path: path) else { return }
        for entry in root.entries where entry.key != "jobs" {
            if entry.key == "scheduler" {
                error(
                    "a drop-in may only define jobs; move [scheduler] settings to \(mainFile)",
                    at: entry.keyPosition,
                    source
                )
            } else {
                unknownKey(entry, allowed: ["jobs"], context: "a drop-in", source)
            }
        }
        readJobs(root, source)
    }

    // MARK: - Jobs

    /// Reads the `jobs` table of one file and registers each job, checking for duplicates.
    mutating func readJobs(_ root: TOMLTable, _ source: SourceText) {
        guard let jobsEntry = root.entry("jobs"), let jobsTable = table(jobsEntry.value, "jobs", source) else {
            return
        }
        for entry in jobsTable.entries {
            let location = location(entry.keyPosition, source)
            var replaces = false
            if case .table(let table) = entry.value.kind, case .boolean(true)? = table["replace_existing"]?.kind {
                replaces = true
            }
            let job = readJob(entry, source)
            if let earlier = definitions[entry.key], !replaces {
                error(
                    "job '\(entry.key)' is already defined at \(earlier); "
                        + "set 'replace_existing = true' in this table to replace it",
                    at: entry.keyPosition,
                    source
                )
                continue
            }
            definitions[entry.key] = location
            // A replacement takes the replaced job's place, so listings keep the main file's order.
            if let index = jobIndex[entry.key] {
                if let job {
                    jobs[index] = job
                } else {
                    jobs.remove(at: index)
                    jobIndex = Dictionary(uniqueKeysWithValues: jobs.enumerated().map { ($1.id, $0) })
                }
            } else if let job {
                jobIndex[entry.key] = jobs.count
                jobs.append(job)
            }
        }
    }

    // MARK: - Zones

    /// Loads a zone once per name, reporting the resolver's error at `position`.
    mutating func zone(named name: String, at position: TOMLPosition, _ source: SourceText) -> Zone? {
        let result: Result<Zone, ZoneError>
        if let cached = zoneCache[name] {
            result = cached
        } else {
            do throws(ZoneError) {
                result = .success(try loader.zoneResolver(name))
            } catch {
                result = .failure(error)
            }
            zoneCache[name] = result
        }
        switch result {
        case .success(let zone):
            return zone
        case .failure(let zoneError):
            error(zoneError.description, at: position, source)
            return nil
        }
    }

    // MARK: - Reporting

    mutating func report(_ diagnostic: ConfigDiagnostic) {
        if diagnostic.severity == .error { errorCount += 1 }
        diagnostics.append(diagnostic)
    }

    mutating func error(_ message: String, at position: TOMLPosition, _ source: SourceText) {
        report(source.diagnostic(.error, message, line: position.line, column: position.column))
    }

    mutating func warning(_ message: String, at position: TOMLPosition, _ source: SourceText) {
        report(source.diagnostic(.warning, message, line: position.line, column: position.column))
    }

    mutating func note(_ message: String, at position: TOMLPosition, _ source: SourceText) {
        report(source.diagnostic(.note, message, line: position.line, column: position.column))
    }

    func location(_ position: TOMLPosition, _ source: SourceText) -> SourceLocation {
        SourceLocation(file: source.path, line: position.line, column: position.column)
    }

    func wholeFile(_ path: String) -> SourceLocation {
        SourceLocation(file: path, line: 0, column: 0)
    }
}
