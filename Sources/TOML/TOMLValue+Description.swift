// MARK: - RFC 3339 text for dates and times

/// `1979-05-27`: four-digit year, two-digit month and day.
extension TOMLDate: CustomStringConvertible {
    public var description: String {
        TOMLDigits.pad(year, 4) + "-" + TOMLDigits.pad(month, 2) + "-" + TOMLDigits.pad(day, 2)
    }
}

/// `07:32:00` or `07:32:00.999`: fractional seconds only when non-zero, without trailing zeros.
extension TOMLTime: CustomStringConvertible {
    public var description: String {
        var text = TOMLDigits.pad(hour, 2) + ":" + TOMLDigits.pad(minute, 2) + ":" + TOMLDigits.pad(second, 2)
        if nanosecond > 0 {
            var fraction = TOMLDigits.pad(nanosecond, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text
    }
}

/// `1979-05-27T07:32:00Z`, `1979-05-27T07:32:00-07:00`, or without offset for a local date-time.
extension TOMLDateTime: CustomStringConvertible {
    public var description: String {
        var text = date.description + "T" + time.description
        guard let offsetMinutes else { return text }
        if offsetMinutes == 0 { return text + "Z" }
        let magnitude = abs(offsetMinutes)
        text += offsetMinutes < 0 ? "-" : "+"
        text += TOMLDigits.pad(magnitude / 60, 2) + ":" + TOMLDigits.pad(magnitude % 60, 2)
        return text
    }
}

/// Zero-padded decimal formatting without Foundation.
enum TOMLDigits {
    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
