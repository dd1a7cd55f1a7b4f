import SchedCron
import SchedTime
import TOML

// MARK: - [jobs.ID]

extension ConfigBuilder {
    static let triggerKeys = ["cron", "every", "at"]
    static let actionKeys = ["command", "shell", "http"]
    static let jobKeys =
        [
            "description", "timezone", "start", "end", "working_dir", "env", "user", "group", "enabled",
            "replace_existing", "dst_gap", "dst_repeat", "on_interrupted", "history", "history_max_age",
        ] + triggerKeys + actionKeys + jobDefaultKeys

    /// Reads one job table; nil when it has any error (which has then been reported).
    mutating func readJob(_ jobEntry: TOMLEntry, _ source: SourceText) -> JobConfig? {
        let id = jobEntry.key
        let errorsBefore = errorCount
        if !ConfigBuilder.isValidJobID(id) {
            error(
                "invalid job id '\(id)'; ids may contain only letters, digits, '_', '.' and '-'",
                at: jobEntry.keyPosition,
                source
            )
        }
        guard let table = table(jobEntry.value, "jobs.\(id)", source) else { return nil }

        // 1. The zone first: `at`, `start` and `end` read local date-times in it.
        var zone = settings.zone
        if let value = table["timezone"], let name = nonEmptyString(value, "timezone", source),
            let jobZone = self.zone(named: name, at: value.position, source)
        {
            zone = jobZone
        }
        // 2. The window, which also anchors `every`.
        let start = table["start"].flatMap { instant($0, "start", zone: zone, source) }
        let end = table["end"].flatMap { instant($0, "end", zone: zone, source) }
        if let start, let end, let endValue = table["end"], start > end {
            error(
                "'end' (\(ConfigText.rfc3339(end, in: zone))) is before 'start' (\(ConfigText.rfc3339(start, in: zone)))",
                at: endValue.position,
                source
            )
        }
        // 3. Trigger and action: exactly one of each.
        let gap = table["dst_gap"].flatMap { choice($0, "dst_gap", DSTGapPolicy.self, source) }
        let repeated = table["dst_repeat"].flatMap { choice($0, "dst_repeat", DSTRepeatPolicy.self, source) }
        let trigger = exactlyOne(ConfigBuilder.triggerKeys, of: table, kind: "trigger", job: jobEntry, source).flatMap {
            readTrigger($0, id: id, zone: zone, start: start, gap: gap, repeated: repeated, source)
        }
        let action = exactlyOne(ConfigBuilder.actionKeys, of: table, kind: "action", job: jobEntry, source).flatMap {
            readAction($0, source)
        }
        if let trigger, !trigger.isCron {
            for key in ["dst_gap", "dst_repeat"] {
                guard let entry = table.entry(key) else { continue }
                warning("'\(key)' only applies to cron triggers; it has no effect here", at: entry.keyPosition, source)
            }
        }

        // 4. Everything else, in the order written.
        var defaults = settings.jobDefaults
        var fields = JobFields(settings: settings)
        for entry in table.entries {
            if ConfigBuilder.triggerKeys.contains(entry.key) || ConfigBuilder.actionKeys.contains(entry.key) {
                continue
            }
            if readJobDefault(entry, into: &defaults, source) { continue }
            readJobField(entry, into: &fields, id: id, source)
        }

        guard errorCount == errorsBefore, let trigger, let action else { return nil }
        var job = JobConfig(
            id: id,
            trigger: trigger.trigger,
            triggerText: trigger.text,
            action: action,
            settings: settings,
            location: location(jobEntry.keyPosition, source)
        )
        job.zone = zone
        job.start = start
        job.end = end
        fields.apply(to: &job)
        job.timeout = defaults.timeout
        job.killGrace = defaults.killGrace
        job.jitter = defaults.jitter
        job.misfireGrace = defaults.misfireGrace
        job.coalesce = defaults.coalesce
        job.maxInstances = defaults.maxInstances
        job.onOverlap = defaults.onOverlap
        job.retry = defaults.retry
        job.onFailure = defaults.onFailure
        job.logOutputLines = defaults.logOutputLines
        checkReachability(job, triggerValue: trigger.value, source)
        if case .cron(let expression, let cronZone, let policy) = job.trigger, job.enabled {
            addDSTNotes(id: id, expression: expression, zone: cronZone, policy: policy, at: trigger.value, source)
        }
        return job
    }

    /// `[A-Za-z0-9_.-]+`.
    static func isValidJobID(_ id: String) -> Bool {
        !id.isEmpty
            && id.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            }
    }

    /// The single entry among `keys`; reports none or several.
    mutating func exactlyOne(
        _ keys: [String],
        of table: TOMLTable,
        kind: String,
        job: TOMLEntry,
        _ source: SourceText
    ) -> TOMLEntry? {
        let present = table.entries.filter { keys.contains($0.key) }
        guard let first = present.first else {
            let options = keys.map { "'\($0)'" }
            error(
                "job '\(job.key)' has no \(kind); set one of \(options.dropLast().joined(separator: ", ")) or \(options.last ?? "")",
                at: job.keyPosition,
                source
            )
            return nil
        }
        if present.count > 1 {
            error(
                "job '\(job.key)' has more than one \(kind): '\(first.key)' and '\(present[1].key)'; keep exactly one",
                at: present[1].keyPosition,
                source
            )
            return nil
        }
        return first
    }

    // MARK: - Trigger

    /// A trigger with the text listings show and the value diagnostics point at.
    struct ReadTrigger {
        var trigger: Trigger
        var text: String
        var value: TOMLValue

        var isCron: Bool {
            if case .cron = trigger { return true }
            return false
        }
    }

    mutating func readTrigger(
        _ entry: TOMLEntry,
        id: String,
        zone: Zone,
        start: Instant?,
        gap: DSTGapPolicy?,
        repeated: DSTRepeatPolicy?,
        _ source: SourceText
    ) -> ReadTrigger? {
        let value = entry.value
        switch entry.key {
        case "cron":
            guard let text = string(value, "cron", source) else { return nil }
            let expression: CronExpression
            do throws(CronParseError) {
                expression = try parseCron(text, id: id)
            } catch {
                self.error(
                    "\(error.message) in 'cron'",
                    at: innerPosition(value, column: error.column, source),
                    source
                )
                return nil
            }
            var cronZone = zone
            if let zoneName = expression.zoneName {
                // The name follows the first '=' of the `CRON_TZ=` / `TZ=` prefix.
                let prefix = text.unicodeScalars.prefix { $0 != "=" }.count + 1
                let position = innerPosition(value, column: prefix + 1, source)
                guard let prefixZone = self.zone(named: zoneName, at: position, source) else { return nil }
                cronZone = prefixZone
            }
            var policy = expression.defaultDSTPolicy
            if let gap { policy.gap = gap }
            if let repeated { policy.repeated = repeated }
            if !expression.isReboot && expression.next(after: now, in: cronZone, policy: policy) == nil {
                error("cron expression '\(text)' never fires", at: value.position, source)
                return nil
            }
            return ReadTrigger(trigger: .cron(expression, zone: cronZone, policy: policy), text: text, value: value)
        case "every":
            guard let interval = duration(value, "every", source) else { return nil }
            guard interval > .zero else {
                error("'every' must be longer than zero", at: value.position, source)
                return nil
            }
            return ReadTrigger(
                trigger: .every(interval, anchor: start),
                text: "every \(DurationText.format(interval))",
                value: value
            )
        default:
            guard let instant = instant(value, "at", zone: zone, source) else { return nil }
            return ReadTrigger(trigger: .at(instant), text: "at \(ConfigText.rfc3339(instant, in: zone))", value: value)
        }
    }

    /// Parses `text`, reusing an earlier parse of the same text: big schedules repeat a few
    /// expressions many times. Texts that could contain `H` depend on the job id and are not shared.
    mutating func parseCron(_ text: String, id: String) throws(CronParseError) -> CronExpression {
        let shareable = ConfigBuilder.cronTextIgnoresID(text)
        if shareable, let cached = cronCache[text] { return cached }
        let expression = try CronExpression(parsing: text, hashSeed: id)
        if shareable { cronCache[text] = expression }
        return expression
    }

    /// False when `text` may contain an `H` field, whose value depends on the job id. Conservative:
    /// any `H`/`h` after the `CRON_TZ=` prefix counts, except in a macro (`@hourly`).
    static func cronTextIgnoresID(_ text: String) -> Bool {
        var body = Substring(text)
        if body.hasPrefix("CRON_TZ=") || body.hasPrefix("TZ=") {
            body = body.drop { $0 != " " }.drop { $0 == " " }
        }
        if body.hasPrefix("@") { return true }
        return !body.utf8.contains { $0 == UInt8(ascii: "H") || $0 == UInt8(ascii: "h") }
    }

    /// Warnings for jobs that load fine but can never run: a past `at`, or an `end` before the next firing.
    mutating func checkReachability(_ job: JobConfig, triggerValue: TOMLValue, _ source: SourceText) {
        if case .at(let instant) = job.trigger, instant <= now {
            warning(
                "'at' (\(ConfigText.rfc3339(instant, in: job.zone))) is in the past; job '\(job.id)' will not fire",
                at: triggerValue.position,
                source
            )
            return
        }
        guard !job.trigger.isReboot, let end = job.end, job.nextFire(after: now) == nil else { return }
        warning(
            "job '\(job.id)' has no firing before its 'end' (\(ConfigText.rfc3339(end, in: job.zone)))",
            at: triggerValue.position,
            source
        )
    }

    // MARK: - Action

    mutating func readAction(_ entry: TOMLEntry, _ source: SourceText) -> JobAction? {
        let value = entry.value
        switch entry.key {
        case "command":
            return argv(value, "command", source).map(JobAction.command)
        case "shell":
            return nonEmptyString(value, "shell", source).map(JobAction.shell)
        default:
            return httpCheck(value, source).map(JobAction.http)
        }
    }

    static let httpKeys = ["url", "method", "headers", "body", "expect_status", "expect_body", "timeout"]

    /// `http = { url = "https://…", method = "GET", headers = {…}, body = "…", expect_status = [200],
    /// expect_body = "ok", timeout = "5s" }`.
    mutating func httpCheck(_ value: TOMLValue, _ source: SourceText) -> HTTPCheck? {
        guard let table = table(value, "http", source) else { return nil }
        let errorsBefore = errorCount
        guard let urlValue = table["url"] else {
            error("'http' needs a 'url'", at: value.position, source)
            return nil
        }
        var check = HTTPCheck(url: "")
        if let url = string(urlValue, "http.url", source) {
            let lowered = url.lowercased()
            if !lowered.hasPrefix("http://") && !lowered.hasPrefix("https://") {
                error("'http.url' must start with http:// or https://, found \"\(url)\"", at: urlValue.position, source)
            } else {
                do {
                    _ = try HTTPURL(parsing: url)
                    check.url = url
                } catch {
                    self.error(
                        "invalid 'http.url': \(error.message)",
                        at: innerPosition(urlValue, column: error.column, source),
                        source
                    )
                }
            }
        }
        for entry in table.entries {
            let name = "http.\(entry.key)"
            let field = entry.value
            switch entry.key {
            case "url":
                continue
            case "method":
                guard let method = nonEmptyString(field, name, source) else { continue }
                if method.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0 & 0xDF) }) {
                    check.method = method.uppercased()
                } else {
                    error("invalid HTTP method \"\(method)\" for '\(name)'", at: field.position, source)
                }
            case "headers":
                guard let headers = self.table(field, name, source) else { continue }
                for header in headers.entries {
                    let headerName = "\(name).\(header.key)"
                    guard HTTPHeader.isValidName(header.key) else {
                        error("invalid HTTP header name \"\(header.key)\" in '\(name)'", at: header.keyPosition, source)
                        continue
                    }
                    guard let text = string(header.value, headerName, source) else { continue }
                    guard HTTPHeader.isValidValue(text) else {
                        error(
                            "'\(headerName)' must not contain line breaks or NUL characters",
                            at: header.value.position,
                            source
                        )
                        continue
                    }
                    check.headers.append(HTTPHeader(name: header.key, value: text))
                }
            case "body":
                guard let body = string(field, name, source) else { continue }
                guard !body.unicodeScalars.contains("\0") else {
                    error("'\(name)' must not contain NUL characters", at: field.position, source)
                    continue
                }
                check.body = body
            case "expect_status":
                check.expectStatus = statusCodes(field, name, source)
            case "expect_body":
                guard let text = nonEmptyString(field, name, source) else { continue }
                guard !text.unicodeScalars.contains("\0") else {
                    error("'\(name)' must not contain NUL characters", at: field.position, source)
                    continue
                }
                check.expectBody = text
            case "timeout":
                check.timeout = duration(field, name, source)
            default:
                unknownKey(entry, allowed: ConfigBuilder.httpKeys, context: "'http'", source)
            }
        }
        return errorCount == errorsBefore ? check : nil
    }

    /// An integer status or an array of them, each in 100–599.
    mutating func statusCodes(_ value: TOMLValue, _ name: String, _ source: SourceText) -> [Int]? {
        let elements: [TOMLValue]
        switch value.kind {
        case .integer: elements = [value]
        case .array(let array): elements = array
        default:
            typeError(value, name, expected: "a status code or an array of them", source)
            return nil
        }
        guard !elements.isEmpty else {
            error("'\(name)' must list at least one status code", at: value.position, source)
            return nil
        }
        var codes: [Int] = []
        for element in elements {
            guard case .integer(let code) = element.kind else {
                typeError(element, name, expected: "an integer status code", source)
                return nil
            }
            guard (100...599).contains(code) else {
                error("HTTP status \(code) in '\(name)' is not in 100-599", at: element.position, source)
                return nil
            }
            codes.append(Int(code))
        }
        return codes
    }

    // MARK: - Other job keys

    /// The per-job settings that are not job defaults; collected, then applied to the finished job.
    struct JobFields {
        var description: String?
        var workingDirectory: String?
        var environment: [EnvironmentVariable] = []
        var user: String?
        var group: String?
        var enabled = true
        var replaceExisting = false
        var onInterrupted: InterruptedPolicy
        var history: Int
        var historyMaxAge: Duration?

        init(settings: SchedulerSettings) {
            onInterrupted = settings.onInterrupted
            history = settings.history
            historyMaxAge = settings.historyMaxAge
        }

        func apply(to job: inout JobConfig) {
            job.description = description
            job.workingDirectory = workingDirectory
            job.environment = environment
            job.user = user
            job.group = group
            job.enabled = enabled
            job.replaceExisting = replaceExisting
            job.onInterrupted = onInterrupted
            job.history = history
            job.historyMaxAge = historyMaxAge
        }
    }

    mutating func readJobField(_ entry: TOMLEntry, into fields: inout JobFields, id: String, _ source: SourceText) {
        let value = entry.value
        let key = entry.key
        switch key {
        case "timezone", "start", "end", "dst_gap", "dst_repeat":
            return  // read up front
        case "description":
            fields.description = string(value, key, source)
        case "working_dir":
            guard let path = nonEmptyString(value, key, source) else { return }
            if path.hasPrefix("/") {
                fields.workingDirectory = path
            } else {
                error("'working_dir' must be an absolute path, found \"\(path)\"", at: value.position, source)
            }
        case "env":
            guard let table = table(value, key, source) else { return }
            for variable in table.entries {
                guard let text = string(variable.value, "env.\(variable.key)", source) else { continue }
                if ConfigBuilder.isValidEnvironmentName(variable.key) {
                    fields.environment.append(EnvironmentVariable(name: variable.key, value: text))
                } else {
                    error(
                        "invalid environment variable name '\(variable.key)'; use letters, digits and '_', "
                            + "not starting with a digit",
                        at: variable.keyPosition,
                        source
                    )
                }
            }
        case "user":
            fields.user = nonEmptyString(value, key, source)
        case "group":
            fields.group = nonEmptyString(value, key, source)
        case "enabled":
            if let flag = bool(value, key, source) { fields.enabled = flag }
        case "replace_existing":
            if let flag = bool(value, key, source) { fields.replaceExisting = flag }
        case "on_interrupted":
            if let policy = choice(value, key, InterruptedPolicy.self, source) { fields.onInterrupted = policy }
        case "history":
            if let count = integer(value, key, minimum: 0, source) { fields.history = count }
        case "history_max_age":
            fields.historyMaxAge = duration(value, key, source)
        default:
            unknownKey(entry, allowed: ConfigBuilder.jobKeys, context: "job '\(id)'", source)
        }
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`, the names a shell can use.
    static func isValidEnvironmentName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return isValidJobID(name) && !name.contains(".") && !name.contains("-")
    }
}
