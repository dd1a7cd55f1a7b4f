import SchedTime
import TOML

// MARK: - Typed values
//
// Each reader checks one value's type and range and reports "expected X for 'key', found Y".
// `name` is the key path shown to the user (`timeout`, `retry.attempts`).

extension ConfigBuilder {
    /// The longest duration any setting accepts: 100 years (36,500 days).
    static let maximumDuration = Duration.seconds(36_500 * 86_400)

    mutating func typeError(_ value: TOMLValue, _ name: String, expected: String, _ source: SourceText) {
        error("expected \(expected) for '\(name)', found \(value.typeName)", at: value.position, source)
    }

    mutating func table(_ value: TOMLValue, _ name: String, _ source: SourceText) -> TOMLTable? {
        guard case .table(let table) = value.kind else {
            typeError(value, name, expected: "a table", source)
            return nil
        }
        return table
    }

    mutating func string(_ value: TOMLValue, _ name: String, _ source: SourceText) -> String? {
        guard case .string(let text) = value.kind else {
            typeError(value, name, expected: "a string", source)
            return nil
        }
        return text
    }

    mutating func nonEmptyString(_ value: TOMLValue, _ name: String, _ source: SourceText) -> String? {
        guard let text = string(value, name, source) else { return nil }
        guard !text.isEmpty else {
            error("'\(name)' must not be empty", at: value.position, source)
            return nil
        }
        return text
    }

    mutating func bool(_ value: TOMLValue, _ name: String, _ source: SourceText) -> Bool? {
        guard case .boolean(let flag) = value.kind else {
            typeError(value, name, expected: "true or false", source)
            return nil
        }
        return flag
    }

    /// An integer of at least `minimum`.
    mutating func integer(_ value: TOMLValue, _ name: String, minimum: Int, _ source: SourceText) -> Int? {
        guard case .integer(let number) = value.kind else {
            typeError(value, name, expected: "an integer", source)
            return nil
        }
        guard number >= minimum, let result = Int(exactly: number) else {
            error("'\(name)' must be at least \(minimum), found \(number)", at: value.position, source)
            return nil
        }
        return result
    }

    /// A float, or an integer read as one.
    mutating func number(_ value: TOMLValue, _ name: String, _ source: SourceText) -> Double? {
        switch value.kind {
        case .float(let number): return number
        case .integer(let number): return Double(number)
        default:
            typeError(value, name, expected: "a number", source)
            return nil
        }
    }

    /// A duration string (`"90s"`, `"1h30m"`). A bare integer is an error that suggests the unit.
    mutating func duration(_ value: TOMLValue, _ name: String, _ source: SourceText) -> Duration? {
        switch value.kind {
        case .string(let text):
            do throws(DurationParseError) {
                let duration = try DurationText.parse(text)
                guard duration >= .zero else {
                    error("'\(name)' must not be negative, found \"\(text)\"", at: value.position, source)
                    return nil
                }
                // Instants end in 2262: a longer span added to one would overflow.
                guard duration <= ConfigBuilder.maximumDuration else {
                    error("'\(name)' must be at most 100 years, found \"\(text)\"", at: value.position, source)
                    return nil
                }
                return duration
            } catch {
                self.error(
                    "invalid duration \"\(text)\" for '\(name)': \(error.message)",
                    at: innerPosition(value, column: error.column, source),
                    source
                )
                return nil
            }
        case .integer(let number):
            error(
                "'\(name)' needs a unit: write \"\(number)s\" for \(number) seconds (units: ms, s, m, h, d, w)",
                at: value.position,
                source
            )
            return nil
        default:
            typeError(value, name, expected: "a duration string like \"90s\"", source)
            return nil
        }
    }

    /// One of `E`'s raw values; the error lists them all.
    mutating func choice<E: RawRepresentable & CaseIterable>(
        _ value: TOMLValue,
        _ name: String,
        _ type: E.Type,
        _ source: SourceText
    ) -> E? where E.RawValue == String {
        guard let text = string(value, name, source) else { return nil }
        if let result = E(rawValue: text) { return result }
        let allowed = E.allCases.map(\.rawValue)
        let hint = KeySuggestion.closest(to: text, among: allowed).map { "; did you mean '\($0)'?" } ?? ""
        error(
            "invalid value '\(text)' for '\(name)'; expected one of \(allowed.map { "'\($0)'" }.joined(separator: ", "))"
                + hint,
            at: value.position,
            source
        )
        return nil
    }

    /// A non-empty array of strings whose first element is not empty: an argv.
    mutating func argv(_ value: TOMLValue, _ name: String, _ source: SourceText) -> [String]? {
        guard case .array(let elements) = value.kind else {
            typeError(value, name, expected: "an array of strings like [\"prog\", \"arg\"]", source)
            return nil
        }
        guard !elements.isEmpty else {
            error("'\(name)' must name a program: the array is empty", at: value.position, source)
            return nil
        }
        var words: [String] = []
        for element in elements {
            guard case .string(let word) = element.kind else {
                typeError(element, "\(name)[\(words.count)]", expected: "a string", source)
                return nil
            }
            words.append(word)
        }
        if words[0].isEmpty {
            error("'\(name)' must name a program: the first element is empty", at: elements[0].position, source)
            return nil
        }
        return words
    }

    /// A path; relative paths resolve against the folder of the file that names them.
    mutating func path(_ value: TOMLValue, _ name: String, _ source: SourceText) -> String? {
        guard let text = nonEmptyString(value, name, source) else { return nil }
        return ConfigPath.resolve(text, against: ConfigPath.directory(of: source.path))
    }

    // MARK: - Instants

    /// `at`, `start`, `end`: a TOML offset date-time, an RFC 3339 string, or a TOML local date-time
    /// read in `zone` (a reading in a DST gap is an error; a repeated one means the first).
    mutating func instant(_ value: TOMLValue, _ name: String, zone: Zone, _ source: SourceText) -> Instant? {
        switch value.kind {
        case .dateTime(let dateTime):
            let civil = CivilDateTime(
                year: dateTime.date.year,
                month: dateTime.date.month,
                day: dateTime.date.day,
                hour: dateTime.time.hour,
                minute: dateTime.time.minute,
                second: dateTime.time.second,
                nanosecond: dateTime.time.nanosecond
            )
            // Instant covers 1678–2262; stay well inside so the arithmetic cannot overflow.
            guard civil.isValid, (1900...2200).contains(civil.year) else {
                error("'\(name)' must be a date between 1900 and 2200", at: value.position, source)
                return nil
            }
            if let offsetMinutes = dateTime.offsetMinutes {
                let seconds = civil.localSecondsSinceEpoch - Int64(offsetMinutes) * 60
                return Instant(nanosecondsSinceEpoch: seconds * 1_000_000_000 + Int64(civil.nanosecond))
            }
            switch zone.resolve(civil) {
            case .unique(let instant), .repeated(first: let instant, second: _):
                return instant
            case .skipped(let transition):
                let before = zone.localTime(at: transition.instant - .seconds(1))
                let after = zone.localTime(at: transition.instant)
                error(
                    "\(civil) does not exist in \(zone.identifier): clocks jump from "
                        + "\(ConfigText.clock(before, roundedUp: true)) to \(ConfigText.clock(after)) that day; "
                        + "give an offset, like \(civil)\(transition.offsetAfter)",
                    at: value.position,
                    source
                )
                return nil
            }
        case .string(let text):
            if let instant = RFC3339.parse(text) { return instant }
            error(
                "invalid date-time \"\(text)\" for '\(name)'; expected RFC 3339 with an offset, "
                    + "like \"2026-12-01T09:00:00+01:00\", or an unquoted local date-time",
                at: value.position,
                source
            )
            return nil
        case .localDate:
            error(
                "'\(name)' needs a time of day as well, like 2026-12-01T00:00:00",
                at: value.position,
                source
            )
            return nil
        default:
            typeError(value, name, expected: "a date-time", source)
            return nil
        }
    }

    // MARK: - Keys

    /// Reports every key of `table` not in `allowed`, with a suggestion when one is close.
    mutating func checkKeys(_ table: TOMLTable, allowed: [String], context: String, _ source: SourceText) {
        for entry in table.entries where !allowed.contains(entry.key) {
            unknownKey(entry, allowed: allowed, context: context, source)
        }
    }

    mutating func unknownKey(_ entry: TOMLEntry, allowed: [String], context: String, _ source: SourceText) {
        let hint = KeySuggestion.closest(to: entry.key, among: allowed).map { "; did you mean '\($0)'?" } ?? ""
        error("unknown key '\(entry.key)' in \(context)\(hint)", at: entry.keyPosition, source)
    }

    /// The position of 1-based `column` inside a one-line string value, so a caret lands on the bad
    /// character. Falls back to the value's start for multi-line strings, where columns cannot be mapped.
    func innerPosition(_ value: TOMLValue, column: Int, _ source: SourceText) -> TOMLPosition {
        guard let line = source.line(value.position.line) else { return value.position }
        let scalars = Array(line.unicodeScalars.dropFirst(value.position.column - 1).prefix(3))
        guard let quote = scalars.first, quote == "\"" || quote == "'" else { return value.position }
        if scalars.count == 3, scalars[1] == quote, scalars[2] == quote { return value.position }
        return TOMLPosition(line: value.position.line, column: value.position.column + column)
    }
}

/// Small text helpers for messages.
enum ConfigText {
    /// `02:30`, or `03:00` for 02:59:59 when `roundedUp` (the end of a gap reads better rounded).
    static func clock(_ time: CivilDateTime, roundedUp: Bool = false) -> String {
        var minutes = time.hour * 60 + time.minute
        if roundedUp && time.second > 0 { minutes += 1 }
        return two(minutes / 60 % 24) + ":" + two(minutes % 60)
    }

    /// `2027-03-28`.
    static func date(_ time: CivilDateTime) -> String {
        "\(time.year)-\(two(time.month))-\(two(time.day))"
    }

    /// RFC 3339 with the offset `zone` has at `instant` (`2026-11-29T00:00:00+01:00`).
    static func rfc3339(_ instant: Instant, in zone: Zone) -> String {
        RFC3339.format(instant, offset: zone.offset(at: instant))
    }

    static func two(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
