import TOML

// MARK: - [scheduler]

extension ConfigBuilder {
    static let schedulerKeys = [
        "timezone", "state_dir", "socket", "socket_group", "socket_mode", "shutdown_grace", "max_concurrent",
        "include", "metrics_file", "metrics_listen", "history", "history_max_age", "on_interrupted", "log_format",
    ]
    /// Keys `[scheduler]` and jobs share: set in `[scheduler]`, they are every job's default.
    static let jobDefaultKeys = [
        "timeout", "kill_grace", "misfire_grace", "coalesce", "max_instances", "on_overlap", "retry", "jitter",
        "on_failure", "log_output_lines",
    ]

    mutating func readScheduler(_ table: TOMLTable, _ source: SourceText) {
        var defaults = settings.jobDefaults
        for entry in table.entries {
            let value = entry.value
            let key = entry.key
            switch key {
            case "timezone":
                if let name = nonEmptyString(value, key, source),
                    let zone = zone(named: name, at: value.position, source)
                {
                    settings.zone = zone
                }
            case "state_dir":
                if let path = path(value, key, source) { settings.stateDirectory = path }
            case "socket":
                if let path = path(value, key, source) { settings.socketPath = path }
            case "socket_group":
                if let group = nonEmptyString(value, key, source) { settings.socketGroup = group }
            case "socket_mode":
                if let mode = socketMode(value, source) { settings.socketMode = mode }
            case "shutdown_grace":
                if let grace = duration(value, key, source) { settings.shutdownGrace = grace }
            case "max_concurrent":
                if let count = integer(value, key, minimum: 1, source) { settings.maxConcurrent = count }
            case "include":
                readInclude(value, source)
            case "metrics_file":
                if let path = path(value, key, source) { settings.metricsFile = path }
            case "metrics_listen":
                if let text = nonEmptyString(value, key, source) {
                    switch ListenAddress.parse(text) {
                    case .success(let address): settings.metricsListen = address
                    case .failure(let reason): error("invalid 'metrics_listen': \(reason)", at: value.position, source)
                    }
                }
            case "history":
                if let count = integer(value, key, minimum: 0, source) { settings.history = count }
            case "history_max_age":
                if let age = duration(value, key, source) { settings.historyMaxAge = age }
            case "on_interrupted":
                if let policy = choice(value, key, InterruptedPolicy.self, source) { settings.onInterrupted = policy }
            case "log_format":
                if let format = choice(value, key, LogFormat.self, source) { settings.logFormat = format }
            default:
                if !readJobDefault(entry, into: &defaults, source) {
                    unknownKey(
                        entry,
                        allowed: ConfigBuilder.schedulerKeys + ConfigBuilder.jobDefaultKeys,
                        context: "[scheduler]",
                        source
                    )
                }
            }
        }
        settings.jobDefaults = defaults
    }

    /// `socket_mode`: a string of octal digits (`"0660"`) or an integer (`0o660`), at most `0o777`.
    mutating func socketMode(_ value: TOMLValue, _ source: SourceText) -> Int? {
        switch value.kind {
        case .string(let text):
            let digits = text.unicodeScalars
            guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ ("0"..."7").contains($0) }),
                let mode = Int(text, radix: 8), mode <= 0o777
            else {
                error(
                    "invalid 'socket_mode' \"\(text)\"; expected octal permission bits like \"0660\"",
                    at: value.position,
                    source
                )
                return nil
            }
            return mode
        case .integer(let number):
            guard (0...0o777).contains(number) else {
                error(
                    "'socket_mode' \(number) is not a permission mode; write it as \"0660\" or 0o660",
                    at: value.position,
                    source
                )
                return nil
            }
            return Int(number)
        default:
            typeError(value, "socket_mode", expected: "an octal mode like \"0660\"", source)
            return nil
        }
    }

    /// `include`: one pattern or an array of patterns.
    mutating func readInclude(_ value: TOMLValue, _ source: SourceText) {
        switch value.kind {
        case .string:
            if let pattern = nonEmptyString(value, "include", source) {
                includePatterns.append((pattern, value.position))
                settings.include.append(pattern)
            }
        case .array(let elements):
            for element in elements {
                guard let pattern = nonEmptyString(element, "include", source) else { continue }
                includePatterns.append((pattern, element.position))
                settings.include.append(pattern)
            }
        default:
            typeError(value, "include", expected: "a glob pattern string like \"schedules.d/*.toml\"", source)
        }
    }

    // MARK: - Job defaults

    /// Reads one of `jobDefaultKeys` into `defaults`; false when `entry` is not one of them.
    mutating func readJobDefault(_ entry: TOMLEntry, into defaults: inout JobDefaults, _ source: SourceText) -> Bool {
        let value = entry.value
        let key = entry.key
        switch key {
        case "timeout":
            if let timeout = duration(value, key, source) {
                if timeout == .zero {
                    error("'timeout' must be longer than zero; leave it out for no limit", at: value.position, source)
                } else {
                    defaults.timeout = timeout
                }
            }
        case "kill_grace":
            if let grace = duration(value, key, source) { defaults.killGrace = grace }
        case "misfire_grace":
            if let grace = duration(value, key, source) { defaults.misfireGrace = grace }
        case "coalesce":
            if let flag = bool(value, key, source) { defaults.coalesce = flag }
        case "max_instances":
            if let count = integer(value, key, minimum: 1, source) { defaults.maxInstances = count }
        case "on_overlap":
            if let policy = choice(value, key, OverlapPolicy.self, source) { defaults.onOverlap = policy }
        case "retry":
            if let retry = retryPolicy(value, base: defaults.retry, source) { defaults.retry = retry }
        case "jitter":
            if let jitter = duration(value, key, source) { defaults.jitter = jitter }
        case "on_failure":
            if let command = argv(value, key, source) { defaults.onFailure = command }
        case "log_output_lines":
            if let count = integer(value, key, minimum: 0, source) { defaults.logOutputLines = count }
        default:
            return false
        }
        return true
    }

    /// `retry = { attempts = 3, backoff = "1s", factor = 2.0, max_delay = "1m" }`; unset keys keep `base`.
    mutating func retryPolicy(_ value: TOMLValue, base: RetryPolicy, _ source: SourceText) -> RetryPolicy? {
        guard let table = table(value, "retry", source) else { return nil }
        var policy = base
        var valid = true
        for entry in table.entries {
            let name = "retry.\(entry.key)"
            switch entry.key {
            case "attempts":
                if let attempts = integer(entry.value, name, minimum: 0, source) {
                    policy.attempts = attempts
                } else {
                    valid = false
                }
            case "backoff":
                if let backoff = duration(entry.value, name, source) { policy.backoff = backoff } else { valid = false }
            case "factor":
                guard let factor = number(entry.value, name, source) else {
                    valid = false
                    continue
                }
                guard factor >= 1, factor.isFinite else {
                    error("'retry.factor' must be at least 1, found \(factor)", at: entry.value.position, source)
                    valid = false
                    continue
                }
                policy.factor = factor
            case "max_delay":
                if let delay = duration(entry.value, name, source) { policy.maxDelay = delay } else { valid = false }
            default:
                unknownKey(entry, allowed: ["attempts", "backoff", "factor", "max_delay"], context: "'retry'", source)
                valid = false
            }
        }
        return valid ? policy : nil
    }
}
