/// Why a duration text like `"1h30m"` could not be read.
public struct DurationParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong (`unknown unit 'x'`, `a duration needs a unit, as in "90s" or "5m"`).
    public var message: String
    /// 1-based column (in Unicode scalars) within the text where the problem starts.
    public var column: Int

    public init(message: String, column: Int) {
        self.message = message
        self.column = column
    }

    public var description: String { message }
}

/// Durations as users write them: `"250ms"`, `"90s"`, `"5m"`, `"1h30m"`, `"2d"`, `"1w"`.
///
/// Grammar (no spaces, no signs, no fractions):
///
///     duration = part { part }
///     part     = digit { digit } unit
///     unit     = "w" | "d" | "h" | "m" | "s" | "ms" | "us" | "ns"
///
/// Parts must appear in strictly descending unit order (`1h30m`, not `30m1h` or `1m1m`), so every
/// text has one obvious reading. A day is always 86 400 s and a week 7 days: these are elapsed
/// spans, not calendar steps, so DST never stretches them. `us` and `ns` exist so that `format` can
/// print any span exactly; configs rarely need them.
public enum DurationText {
    /// A unit suffix with its length in nanoseconds. Ordered from longest to shortest.
    private static let units: [(suffix: String, nanoseconds: Int64)] = [
        ("w", 604_800_000_000_000),
        ("d", 86_400_000_000_000),
        ("h", 3_600_000_000_000),
        ("m", 60_000_000_000),
        ("s", 1_000_000_000),
        ("ms", 1_000_000),
        ("us", 1000),
        ("ns", 1),
    ]

    /// Parses a sequence of `<number><unit>` parts.
    ///
    /// - Throws: `DurationParseError` with the 1-based column of the problem for empty text, a bare
    ///   number (the message suggests a unit), an unknown unit, units out of order or repeated,
    ///   and totals beyond about 292 years (the range of `Int64` nanoseconds).
    public static func parse(_ text: String) throws(DurationParseError) -> Duration {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else {
            throw DurationParseError(message: "empty duration; write a number and a unit, as in \"90s\"", column: 1)
        }
        var total: Int64 = 0
        var index = 0
        // Index into `units` of the previous part's unit; later parts must use a higher index.
        var previousUnit = -1
        while index < scalars.count {
            let partStart = index
            // 1. The number.
            var value: Int64 = 0
            var overflowed = false
            while index < scalars.count, let digit = decimalValue(scalars[index]) {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int64(digit))
                overflowed = overflowed || o1 || o2
                value = sum
                index += 1
            }
            if index == partStart {
                let found = String(scalars[index])
                let message =
                    isASCIILetter(scalars[index])
                    ? "expected a number before '\(found)'"
                    : "unexpected character '\(found)' in duration"
                throw DurationParseError(message: message, column: index + 1)
            }
            if index < scalars.count, scalars[index] == "." {
                throw DurationParseError(
                    message: "fractions are not supported; combine units instead, as in \"1m30s\"",
                    column: index + 1
                )
            }
            // 2. The unit: the longest run of letters.
            let unitStart = index
            while index < scalars.count, isASCIILetter(scalars[index]) { index += 1 }
            if unitStart == index {
                if unitStart == scalars.count {
                    throw DurationParseError(
                        message: "a duration needs a unit, as in \"\(value)s\" or \"\(value)m\"",
                        column: unitStart + 1
                    )
                }
                throw DurationParseError(
                    message: "unexpected character '\(String(scalars[unitStart]))' in duration",
                    column: unitStart + 1
                )
            }
            let suffix = String(String.UnicodeScalarView(scalars[unitStart..<index]))
            guard let unitIndex = units.firstIndex(where: { $0.suffix == suffix }) else {
                throw DurationParseError(
                    message: "unknown unit '\(suffix)'; use w, d, h, m, s or ms",
                    column: unitStart + 1
                )
            }
            guard unitIndex > previousUnit else {
                let message =
                    unitIndex == previousUnit
                    ? "unit '\(suffix)' appears twice"
                    : "units must go from largest to smallest, as in \"1h30m\"; '\(suffix)' comes too late"
                throw DurationParseError(message: message, column: unitStart + 1)
            }
            previousUnit = unitIndex
            // 3. Accumulate, refusing to wrap around.
            let (scaled, o3) = value.multipliedReportingOverflow(by: units[unitIndex].nanoseconds)
            let (sum, o4) = total.addingReportingOverflow(scaled)
            if overflowed || o3 || o4 {
                throw DurationParseError(
                    message: "duration is too long (at most about 292 years)",
                    column: partStart + 1
                )
            }
            total = sum
        }
        return .nanoseconds(total)
    }

    /// The shortest text that `parse` reads back as `duration` (`"1h30m"`, `"250ms"`, `"0s"`).
    ///
    /// Each unit appears at most once, largest first, and zero parts are left out, so the result is
    /// canonical: `format(parse(t))` is the same for every `t` naming the same span. Sub-nanosecond
    /// parts are dropped. A negative span is printed with a leading `-`, which `parse` rejects
    /// (configs never hold negative durations).
    public static func format(_ duration: Duration) -> String {
        let nanoseconds = duration.totalNanoseconds
        if nanoseconds == 0 { return "0s" }
        // Work with the magnitude as UInt64 so Int64.min does not trap.
        var remaining = nanoseconds.magnitude
        var text = nanoseconds < 0 ? "-" : ""
        for unit in units {
            let size = UInt64(unit.nanoseconds)
            let count = remaining / size
            if count > 0 {
                text += "\(count)\(unit.suffix)"
                remaining -= count * size
            }
        }
        return text
    }

    // MARK: - Scalar classes

    private static func decimalValue(_ scalar: Unicode.Scalar) -> UInt32? {
        ("0"..."9").contains(scalar) ? scalar.value - 48 : nil
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
