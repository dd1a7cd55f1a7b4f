/// RFC 3339 timestamps, the wire format of every time schedd prints for machines.
///
/// Formatting always writes four-digit years, `T`, and a fraction only when the nanoseconds are not
/// zero (trailing zeros trimmed). Parsing follows RFC 3339 section 5.6 with its section 5.6 note:
/// `T`, `t` or a single space between date and time, `Z`/`z` or `±HH:MM`. Leap seconds (`:60`) are
/// rejected because `Instant` has none.
public enum RFC3339 {
    /// `2026-11-28T03:00:00Z`: UTC with `Z`, fractional seconds only when non-zero.
    public static func format(_ instant: Instant) -> String {
        let reading = CivilDateTime(
            localSecondsSinceEpoch: instant.secondsSinceEpoch,
            nanosecond: Int(instant.nanosecondOfSecond)
        )
        return reading.description + "Z"
    }

    /// `2026-03-08T03:00:00-04:00`: the reading at `offset`, fraction only when non-zero.
    ///
    /// Offsets with a seconds part (only some pre-1900 zone data has them) are written rounded
    /// towards zero to whole minutes in the suffix, as RFC 3339 has no seconds in offsets, while the
    /// reading itself uses the exact offset; use `format(_:)` when round-tripping matters.
    public static func format(_ instant: Instant, offset: UTCOffset) -> String {
        let reading = CivilDateTime(
            localSecondsSinceEpoch: instant.secondsSinceEpoch + Int64(offset.seconds),
            nanosecond: Int(instant.nanosecondOfSecond)
        )
        let magnitude = Int(offset.seconds.magnitude)
        let sign = offset.seconds < 0 ? "-" : "+"
        return reading.description + "\(sign)\(pad(magnitude / 3600, 2)):\(pad(magnitude / 60 % 60, 2))"
    }

    /// Parses an RFC 3339 date-time with `Z` or a numeric offset (`T` or a space between date and
    /// time, any case). Returns nil when `text` is not one.
    ///
    /// Grammar: `YYYY-MM-DD (T|t| ) hh:mm:ss [.fraction] (Z|z|(+|-)hh:mm)`. Each field must be in
    /// range for a real date (no February 30th, no second 60); fractions may have any number of
    /// digits and are truncated to nanoseconds; the offset is at most 23:59. Instants outside the
    /// years 1678–2262 (the range of `Instant`) give nil.
    public static func parse(_ text: String) -> Instant? {
        parseWithOffset(text)?.instant
    }

    /// Like `parse(_:)`, also returning the offset written in the text (zero for `Z`).
    public static func parseWithOffset(_ text: String) -> (instant: Instant, offset: UTCOffset)? {
        var scanner = ASCIIScanner(text)
        guard let year = scanner.digits(4), scanner.take("-"),
            let month = scanner.digits(2), scanner.take("-"),
            let day = scanner.digits(2)
        else { return nil }
        guard scanner.take("T") || scanner.take("t") || scanner.take(" ") else { return nil }
        guard let hour = scanner.digits(2), scanner.take(":"),
            let minute = scanner.digits(2), scanner.take(":"),
            let second = scanner.digits(2)
        else { return nil }
        var nanosecond = 0
        if scanner.take(".") {
            var count = 0
            while let digit = scanner.digits(1) {
                if count < 9 { nanosecond = nanosecond * 10 + digit }
                count += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 9) { nanosecond *= 10 }
        }
        var offsetSeconds = 0
        if scanner.take("Z") || scanner.take("z") {
            offsetSeconds = 0
        } else {
            let negative: Bool
            if scanner.take("+") {
                negative = false
            } else if scanner.take("-") {
                negative = true
            } else {
                return nil
            }
            guard let offsetHour = scanner.digits(2), scanner.take(":"), let offsetMinute = scanner.digits(2),
                offsetHour <= 23, offsetMinute <= 59
            else { return nil }
            offsetSeconds = (offsetHour * 3600 + offsetMinute * 60) * (negative ? -1 : 1)
        }
        guard scanner.isAtEnd else { return nil }
        let reading = CivilDateTime(
            year: year,
            month: month,
            day: day,
            hour: hour,
            minute: minute,
            second: second,
            nanosecond: nanosecond
        )
        guard reading.isValid else { return nil }
        let seconds = reading.localSecondsSinceEpoch - Int64(offsetSeconds)
        let (scaled, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (nanos, o2) = scaled.addingReportingOverflow(Int64(nanosecond))
        guard !o1, !o2 else { return nil }
        return (Instant(nanosecondsSinceEpoch: nanos), UTCOffset(seconds: Int32(offsetSeconds)))
    }
}

/// A cursor over the UTF-8 bytes of a string, for fixed-format ASCII grammars.
struct ASCIIScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var isAtEnd: Bool { position == bytes.count }

    /// Consumes `character` when it is next.
    mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard position < bytes.count, UInt32(bytes[position]) == character.value else { return false }
        position += 1
        return true
    }

    /// Consumes exactly `count` decimal digits and returns their value, or consumes nothing.
    mutating func digits(_ count: Int) -> Int? {
        guard position + count <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<count {
            let byte = bytes[position + offset]
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        position += count
        return value
    }
}
