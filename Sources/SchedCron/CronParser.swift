import SchedTime

/// What the parser produces, before `CronExpression` wraps it.
struct ParsedCron {
    var zoneName: String?
    var isReboot: Bool
    var isFixedTime: Bool
    var canonical: String
    var schedule: CronSchedule
}

/// A one-pass parser over the Unicode scalars of a cron expression.
///
/// Grammar (whitespace is spaces and tabs):
///
///     expression := ws* [prefix ws+] (macro | fields) ws*
///     prefix     := ("CRON_TZ=" | "TZ=") zone-name
///     macro      := "@yearly" | "@annually" | "@monthly" | "@weekly" | "@daily" | "@midnight"
///                 | "@hourly" | "@reboot"
///     fields     := [second ws+] minute ws+ hour ws+ day-of-month ws+ month ws+ day-of-week
///     field      := item ("," item)*
///     item       := "*" ["/" step] | "?"                       ("?" only in day fields)
///                 | "H" ["(" value "-" value ")"] ["/" step]
///                 | "L" ["-" number] | "LW" | number "W"      (day-of-month)
///                 | value "L" | value "#" number              (day-of-week)
///                 | value ["-" value] ["/" step]
///     value      := number | name                            (names in month and day-of-week)
///
/// Every error carries the 1-based column of the offending token in the full text.
struct CronParser {
    private let text: String
    private let chars: [Unicode.Scalar]
    private let hashSeed: String?

    init(text: String, hashSeed: String?) {
        self.text = text
        self.chars = Array(text.unicodeScalars)
        self.hashSeed = hashSeed
    }

    // MARK: - Expression

    func parse() throws(CronParseError) -> ParsedCron {
        var position = skipSpace(from: 0)
        guard position < chars.count else {
            throw error("empty cron expression", at: 0, length: max(1, chars.count))
        }

        // 1. Optional zone prefix.
        var zoneName: String?
        var prefix = ""
        for keyword in ["CRON_TZ=", "TZ="] where hasPrefix(keyword, at: position) {
            let nameStart = position + keyword.unicodeScalars.count
            let nameEnd = tokenEnd(from: nameStart)
            guard nameEnd > nameStart else {
                throw error("missing zone name after '\(keyword)'", at: position, length: nameStart - position)
            }
            let name = string(nameStart, nameEnd)
            zoneName = name
            prefix = keyword + name + " "
            position = skipSpace(from: nameEnd)
            guard position < chars.count else {
                throw error("missing cron fields after '\(keyword)\(name)'", at: chars.count, length: 1)
            }
            break
        }

        // 2. A macro, or fields.
        if chars[position] == "@" {
            return try parseMacro(at: position, zoneName: zoneName, prefix: prefix)
        }
        var fields: [(start: Int, end: Int)] = []
        while position < chars.count {
            let end = tokenEnd(from: position)
            fields.append((position, end))
            position = skipSpace(from: end)
        }
        guard fields.count == 5 || fields.count == 6 else {
            let start = fields.first?.start ?? 0
            let end = fields.last?.end ?? chars.count
            throw error(
                "expected 5 or 6 fields (or a macro such as @daily), found \(fields.count)",
                at: start,
                length: end - start
            )
        }
        // A 5-field expression has no seconds field: field i is CronField(rawValue: i + 1).
        let kindOffset = fields.count == 6 ? 0 : 1

        // Bitsets indexed by `CronField.rawValue`; a 5-field expression fires at second 0.
        var bits: [UInt64] = [1, 0, 0, 0, 0, 0]
        var days = DaySpec()
        var canonical = prefix
        for (index, range) in fields.enumerated() {
            guard let kind = CronField(rawValue: index + kindOffset) else { break }
            if index > 0 { canonical += " " }
            bits[kind.rawValue] = try parseField(
                kind,
                from: range.start,
                to: range.end,
                days: &days,
                canonical: &canonical
            )
        }
        func firstChar(_ kind: CronField) -> Unicode.Scalar {
            chars[fields[kind.rawValue - kindOffset].start]
        }
        days.dayOfMonthRestricted = firstChar(.dayOfMonth) != "*" && firstChar(.dayOfMonth) != "?"
        days.dayOfWeekRestricted = firstChar(.dayOfWeek) != "*" && firstChar(.dayOfWeek) != "?"
        days.days = UInt32(truncatingIfNeeded: bits[CronField.dayOfMonth.rawValue] >> 1)
        var weekdays = bits[CronField.dayOfWeek.rawValue]
        if weekdays & (1 << 7) != 0 { weekdays = (weekdays | 1) & 0x7F }
        days.weekdays = UInt8(truncatingIfNeeded: weekdays)

        let schedule = CronSchedule(
            seconds: bits[CronField.second.rawValue],
            minutes: bits[CronField.minute.rawValue],
            hours: UInt32(truncatingIfNeeded: bits[CronField.hour.rawValue]),
            months: UInt32(truncatingIfNeeded: bits[CronField.month.rawValue]),
            days: days
        )
        return ParsedCron(
            zoneName: zoneName,
            isReboot: false,
            isFixedTime: firstChar(.minute) != "*" && firstChar(.hour) != "*",
            canonical: canonical,
            schedule: schedule
        )
    }

    /// `@name` and nothing after it but whitespace; the named schedule is its 5-field expansion.
    private func parseMacro(at start: Int, zoneName: String?, prefix: String) throws(CronParseError) -> ParsedCron {
        let end = tokenEnd(from: start)
        let name = string(start, end)
        let rest = skipSpace(from: end)
        let expansion: String?
        switch name {
        case "@yearly", "@annually": expansion = "0 0 1 1 *"
        case "@monthly": expansion = "0 0 1 * *"
        case "@weekly": expansion = "0 0 * * 0"
        case "@daily", "@midnight": expansion = "0 0 * * *"
        case "@hourly": expansion = "0 * * * *"
        case "@reboot": expansion = nil
        default: throw error("unknown macro '\(name)'", at: start, length: end - start)
        }
        guard rest == chars.count else {
            throw error("unexpected text after '\(name)'", at: rest, length: chars.count - rest)
        }
        guard let expansion else {
            let nothing = CronSchedule(seconds: 0, minutes: 0, hours: 0, months: 0, days: DaySpec())
            return ParsedCron(
                zoneName: zoneName,
                isReboot: true,
                isFixedTime: false,
                canonical: prefix + name,
                schedule: nothing
            )
        }
        let inner = CronParser(text: expansion, hashSeed: nil)
        var parsed = try inner.parse()
        parsed.zoneName = zoneName
        parsed.canonical = prefix + parsed.canonical
        return parsed
    }

    // MARK: - Fields

    /// One field: a comma-separated list of items, each adding values to the field's bitset (bit
    /// `v` = value `v`) or, for day extensions, to `days`.
    private func parseField(
        _ field: CronField,
        from start: Int,
        to end: Int,
        days: inout DaySpec,
        canonical: inout String
    ) throws(CronParseError) -> UInt64 {
        var bits: UInt64 = 0
        var itemStart = start
        while true {
            var itemEnd = itemStart
            while itemEnd < end && chars[itemEnd] != "," { itemEnd += 1 }
            // An empty item here means the comma at `itemStart` has nothing before it.
            guard itemEnd > itemStart else {
                throw error("empty item in the \(field.name) list", at: itemStart, length: 1)
            }
            var item = ItemScanner(position: itemStart, end: itemEnd)
            let parsed = try parseItem(field, &item, days: &days)
            if item.position < itemEnd {
                throw unexpected(at: item.position, in: field)
            }
            bits |= parsed.bits
            if itemStart > start { canonical += "," }
            canonical += parsed.canonical
            guard itemEnd < end else { break }
            itemStart = itemEnd + 1
            if itemStart == end {
                throw error("empty item in the \(field.name) list", at: itemEnd, length: 1)
            }
        }
        return bits
    }

    /// The cursor within one list item.
    private struct ItemScanner {
        var position: Int
        let end: Int
    }

    private func parseItem(
        _ field: CronField,
        _ item: inout ItemScanner,
        days: inout DaySpec
    ) throws(CronParseError) -> (bits: UInt64, canonical: String) {
        let start = item.position
        let first = chars[start]
        if first == "*" {
            item.position += 1
            let bounds = field.starBounds
            guard let step = try parseStep(field, &item) else {
                return (bitRange(bounds, step: 1), "*")
            }
            return (bitRange(bounds, step: step), "*/\(step)")
        }
        if first == "?" {
            guard field == .dayOfMonth || field == .dayOfWeek else {
                throw error("'?' is only allowed in the day-of-month and day-of-week fields", at: start, length: 1)
            }
            item.position += 1
            return (bitRange(field.starBounds, step: 1), "?")
        }
        if isLetter(first) {
            let wordEnd = letterRunEnd(from: start, to: item.end)
            let word = string(start, wordEnd).uppercased()
            switch word {
            case "H":
                item.position = wordEnd
                return try parseHash(field, &item, at: start)
            case "L", "LW", "W":
                return try parseLastDay(field, word, &item, from: start, to: wordEnd, days: &days)
            default:
                break
            }
        }
        let value = try parseValue(field, &item)
        return try parseValueTail(field, value, &item, days: &days)
    }

    /// `*` ranges and `a/n`, `a-b/n`: the optional `/n` after a range. Nil when there is none.
    private func parseStep(
        _ field: CronField,
        _ item: inout ItemScanner
    ) throws(CronParseError) -> Int? {
        guard item.position < item.end, chars[item.position] == "/" else { return nil }
        let slash = item.position
        item.position += 1
        guard let (step, stepStart, stepLength) = readNumber(&item) else {
            throw error("missing step after '/' in the \(field.name) field", at: slash, length: 1)
        }
        guard step >= 1 else {
            throw error("step must be at least 1", at: stepStart, length: stepLength)
        }
        let width = field.starBounds.upperBound - field.starBounds.lowerBound + 1
        guard step <= width else {
            throw error(
                "step \(step) is larger than the \(field.name) range \(field.starBounds.lowerBound)-\(field.starBounds.upperBound)",
                at: stepStart,
                length: stepLength
            )
        }
        return step
    }

    /// A number or a name, checked against the field's bounds.
    private func parseValue(
        _ field: CronField,
        _ item: inout ItemScanner
    ) throws(CronParseError) -> (value: Int, text: String) {
        let start = item.position
        guard start < item.end else { throw unexpected(at: start, in: field) }
        if let (value, numberStart, length) = readNumber(&item) {
            guard field.bounds.contains(value) else {
                throw error(
                    "\(field.name) value \(string(numberStart, numberStart + length)) is out of range "
                        + "\(field.bounds.lowerBound)-\(field.bounds.upperBound)",
                    at: numberStart,
                    length: length
                )
            }
            return (value, String(value))
        }
        guard isWordScalar(chars[start]) else { throw unexpected(at: start, in: field) }
        let wordEnd = letterRunEnd(from: start, to: item.end)
        let word = string(start, wordEnd)
        if let value = field.names[word.uppercased()] {
            item.position = wordEnd
            return (value, String(value))
        }
        if let kind = field.nameKind {
            throw error("unknown \(kind) '\(word)'", at: start, length: wordEnd - start)
        }
        if ["L", "W", "H"].contains(word.uppercased()) {
            throw error("'\(word)' is not allowed here in the \(field.name) field", at: start, length: wordEnd - start)
        }
        throw error("unexpected '\(word)' in the \(field.name) field", at: start, length: wordEnd - start)
    }

    /// What may follow a value: `W` (day-of-month), `L` or `#k` (day-of-week), `-b`, `/n`.
    private func parseValueTail(
        _ field: CronField,
        _ value: (value: Int, text: String),
        _ item: inout ItemScanner,
        days: inout DaySpec
    ) throws(CronParseError) -> (bits: UInt64, canonical: String) {
        let next = item.position < item.end ? chars[item.position] : nil
        if field == .dayOfMonth, next == "W" || next == "w" {
            item.position += 1
            days.nearestWeekdays |= 1 << UInt32(value.value - 1)
            return (0, "\(value.value)W")
        }
        if field == .dayOfWeek, next == "L" || next == "l" {
            item.position += 1
            days.lastWeekdays |= 1 << UInt8(value.value % 7)
            return (0, "\(value.value)L")
        }
        if field == .dayOfWeek, next == "#" {
            let hash = item.position
            item.position += 1
            guard let (nth, nthStart, nthLength) = readNumber(&item) else {
                throw error("missing occurrence (1-5) after '#'", at: hash, length: 1)
            }
            guard (1...5).contains(nth) else {
                throw error("occurrence \(nth) after '#' is out of range 1-5", at: nthStart, length: nthLength)
            }
            days.nthWeekdays |= 1 << UInt64((nth - 1) * 7 + value.value % 7)
            return (0, "\(value.value)#\(nth)")
        }
        var upper = field.bounds.upperBound
        var text = value.text
        var explicitUpper = false
        if next == "-" {
            let rangeStart = item.position
            item.position += 1
            guard item.position < item.end else {
                throw error("missing end of range after '-' in the \(field.name) field", at: rangeStart, length: 1)
            }
            let end = try parseValue(field, &item)
            upper = end.value
            explicitUpper = true
            text += "-" + end.text
            if upper < value.value {
                let start = startOfRange(before: rangeStart)
                throw error(
                    "reversed range \(string(start, item.position)) in the \(field.name) field (start must not exceed end)",
                    at: start,
                    length: item.position - start
                )
            }
        }
        if let step = try parseStep(field, &item) {
            return (bitRange(value.value...upper, step: step), text + "/\(step)")
        }
        return (bitRange(value.value...(explicitUpper ? upper : value.value), step: 1), text)
    }

    /// `L`, `L-n` and `LW` in the day-of-month field; an error anywhere else.
    private func parseLastDay(
        _ field: CronField,
        _ word: String,
        _ item: inout ItemScanner,
        from start: Int,
        to wordEnd: Int,
        days: inout DaySpec
    ) throws(CronParseError) -> (bits: UInt64, canonical: String) {
        guard field == .dayOfMonth, word != "W" else {
            if field == .dayOfWeek && word == "L" {
                throw error("'L' in the day-of-week field needs a weekday before it (e.g. 5L)", at: start, length: 1)
            }
            if field == .dayOfMonth {
                throw error("'W' in the day-of-month field needs a day before it (e.g. 15W)", at: start, length: 1)
            }
            throw error("'\(word)' is not allowed in the \(field.name) field", at: start, length: wordEnd - start)
        }
        item.position = wordEnd
        if word == "LW" {
            days.lastWorkday = true
            return (0, "LW")
        }
        guard item.position < item.end, chars[item.position] == "-" else {
            days.lastOffsets |= 1
            return (0, "L")
        }
        let dash = item.position
        item.position += 1
        guard let (offset, offsetStart, offsetLength) = readNumber(&item) else {
            throw error("missing number of days after 'L-'", at: dash, length: 1)
        }
        guard (0...30).contains(offset) else {
            throw error("'L-' offset \(offset) is out of range 0-30", at: offsetStart, length: offsetLength)
        }
        days.lastOffsets |= 1 << UInt32(offset)
        return (0, "L-\(offset)")
    }

    /// `H`, `H/n`, `H(a-b)`, `H(a-b)/n`: a value (or offset within the step) derived from the hash
    /// seed, stable across runs and machines.
    private func parseHash(
        _ field: CronField,
        _ item: inout ItemScanner,
        at start: Int
    ) throws(CronParseError) -> (bits: UInt64, canonical: String) {
        guard let seed = hashSeed else {
            throw error("'H' needs a hash seed (the job id), and none was given", at: start, length: 1)
        }
        var bounds = field.hashBounds
        if item.position < item.end, chars[item.position] == "(" {
            let open = item.position
            item.position += 1
            let low = try parseValue(field, &item)
            guard item.position < item.end, chars[item.position] == "-" else {
                throw error("expected '-' in 'H(a-b)'", at: min(item.position, item.end - 1), length: 1)
            }
            item.position += 1
            let high = try parseValue(field, &item)
            guard item.position < item.end, chars[item.position] == ")" else {
                throw error("expected ')' to close 'H('", at: min(item.position, item.end - 1), length: 1)
            }
            item.position += 1
            guard low.value <= high.value else {
                throw error(
                    "reversed range \(string(open + 1, item.position - 1)) in the \(field.name) field (start must not exceed end)",
                    at: open + 1,
                    length: item.position - open - 2
                )
            }
            bounds = low.value...high.value
        }
        let hash = CronParser.stableHash(seed: seed, field: field)
        let width = bounds.upperBound - bounds.lowerBound + 1
        if let step = try parseStep(field, &item) {
            let first = bounds.lowerBound + Int(hash % UInt64(min(step, width)))
            return (bitRange(first...bounds.upperBound, step: step), "\(first)-\(bounds.upperBound)/\(step)")
        }
        let value = bounds.lowerBound + Int(hash % UInt64(width))
        return (bitRange(value...value, step: 1), String(value))
    }

    /// FNV-1a (64-bit) of the seed's UTF-8 bytes followed by the field's index, then MurmurHash3's
    /// 64-bit finaliser: unlike Swift's `Hasher`, it is the same in every process and on every
    /// machine. The finaliser matters: plain FNV-1a leaves the low bits of similar seeds
    /// (`job-1`, `job-2`, …) so correlated that 200 such jobs shared only 16 distinct minutes.
    ///
    /// - Important: changing this function moves every hashed job's schedule.
    static func stableHash(seed: String, field: CronField) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        hash = (hash ^ UInt64(field.rawValue)) &* 0x100_0000_01b3
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }

    // MARK: - Scanning helpers

    private func bitRange(_ range: ClosedRange<Int>, step: Int) -> UInt64 {
        var bits: UInt64 = 0
        var value = range.lowerBound
        while value <= range.upperBound {
            bits |= 1 << UInt64(value)
            value += step
        }
        return bits
    }

    /// Reads decimal digits; values past 9999 saturate (they are out of every range anyway).
    private func readNumber(_ item: inout ItemScanner) -> (value: Int, start: Int, length: Int)? {
        let start = item.position
        var value = 0
        while item.position < item.end, let digit = digitValue(chars[item.position]) {
            value = min(value * 10 + digit, 99_999)
            item.position += 1
        }
        return item.position > start ? (value, start, item.position - start) : nil
    }

    /// The start of the value before a `-` at `dash` (for underlining a whole range).
    private func startOfRange(before dash: Int) -> Int {
        var start = dash
        while start > 0, chars[start - 1] != ",", !isSpace(chars[start - 1]) { start -= 1 }
        return start
    }

    private func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        scalar.value >= 48 && scalar.value <= 57 ? Int(scalar.value - 48) : nil
    }

    private func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 65 && scalar.value <= 90) || (scalar.value >= 97 && scalar.value <= 122)
    }

    private func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }

    /// Letters, and any non-ASCII scalar, so a misspelt name like `Mön` is reported whole.
    private func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        isLetter(scalar) || scalar.value > 127
    }

    private func letterRunEnd(from start: Int, to end: Int) -> Int {
        var position = start
        while position < end && isWordScalar(chars[position]) { position += 1 }
        return position
    }

    private func skipSpace(from start: Int) -> Int {
        var position = start
        while position < chars.count && isSpace(chars[position]) { position += 1 }
        return position
    }

    private func tokenEnd(from start: Int) -> Int {
        var position = start
        while position < chars.count && !isSpace(chars[position]) { position += 1 }
        return position
    }

    private func hasPrefix(_ prefix: String, at position: Int) -> Bool {
        var index = position
        for scalar in prefix.unicodeScalars {
            guard index < chars.count, chars[index] == scalar else { return false }
            index += 1
        }
        return true
    }

    private func string(_ start: Int, _ end: Int) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: chars[start..<end])
        return text
    }

    /// An error at 0-based scalar index `index` (reported 1-based).
    private func error(_ message: String, at index: Int, length: Int) -> CronParseError {
        CronParseError(message: message, expression: text, column: index + 1, length: length)
    }

    private func unexpected(at index: Int, in field: CronField) -> CronParseError {
        var end = index + 1
        while end < chars.count, !isSpace(chars[end]), chars[end] != "," { end += 1 }
        let shown = index < chars.count ? string(index, end) : ""
        return error("unexpected '\(shown)' in the \(field.name) field", at: index, length: max(1, end - index))
    }
}
