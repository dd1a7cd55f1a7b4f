// MARK: - Numbers and date-times

extension TOMLParser {
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The source text from `start` to the cursor, for messages.
    private func text(from start: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<max(start, offset)]), as: UTF8.self)
    }

    /// A value starting with a digit: a date or time when it looks like `dddd-` or `dd:`,
    /// otherwise a number.
    mutating func parseNumberOrDateTime() throws(TOMLError) -> TOMLValue.Kind {
        if Self.isDigit(peek(1)) && peek(2) == UInt8(ascii: ":") {
            return .localTime(try parseTime())
        }
        if Self.isDigit(peek(1)) && Self.isDigit(peek(2)) && Self.isDigit(peek(3)) && peek(4) == UInt8(ascii: "-") {
            return try parseDateOrDateTime()
        }
        return try parseNumber()
    }

    // MARK: Numbers

    /// integer = dec-int / hex-int / oct-int / bin-int;  float = float-int-part ( exp / frac [ exp ] )
    /// / special-float. Integers must fit in Int64.
    mutating func parseNumber() throws(TOMLError) -> TOMLValue.Kind {
        let start = offset
        let sign = peek()
        let isSigned = sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-")
        let isNegative = sign == UInt8(ascii: "-")
        if isSigned { offset += 1 }

        if let special = try parseSpecialFloat() {
            return .float(isNegative ? -special : special)
        }
        if peek() == UInt8(ascii: "0"), let radix = Self.radix(forPrefix: peek(1)) {
            guard !isSigned else {
                throw error("a sign is not allowed on a \(radix.name) integer", at: start)
            }
            offset += 2
            return .integer(try parseRadixInteger(radix: radix.value, name: radix.name, start: start))
        }
        guard Self.isDigit(peek()) else {
            throw error("expected a value, found \(describe(at: start))", at: start)
        }

        let integerStart = offset
        try scanDigits(radix: 10)
        if bytes[integerStart] == UInt8(ascii: "0") && offset - integerStart > 1 {
            throw error("leading zeros are not allowed in '\(text(from: start))'", at: integerStart)
        }
        var isFloat = false
        if peek() == UInt8(ascii: ".") {
            offset += 1
            guard Self.isDigit(peek()) else {
                throw error("expected a digit after the decimal point in '\(text(from: start))'")
            }
            try scanDigits(radix: 10)
            isFloat = true
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            guard Self.isDigit(peek()) else {
                throw error("expected digits in the exponent of '\(text(from: start))'")
            }
            try scanDigits(radix: 10)
            isFloat = true
        }

        let digits = UnsafeBufferPointer(rebasing: bytes[start..<offset])
        if isFloat {
            var plain = ""
            plain.reserveCapacity(digits.count)
            for byte in digits where byte != UInt8(ascii: "_") {
                plain.unicodeScalars.append(Unicode.Scalar(byte))
            }
            guard let value = Double(plain) else {
                throw error("invalid float '\(text(from: start))'", at: start)
            }
            return .float(value)
        }
        var value: Int64 = 0
        for byte in digits where Self.isDigit(byte) {
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (shifted, overflowMultiply) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAdd) =
                isNegative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflowMultiply && !overflowAdd else {
                throw error("integer '\(text(from: start))' does not fit in 64 bits", at: start)
            }
            value = next
        }
        return .integer(value)
    }

    /// `inf` or `nan` after an optional sign, or nil when the cursor is not on one.
    private mutating func parseSpecialFloat() throws(TOMLError) -> Double? {
        let first = peek()
        guard first == UInt8(ascii: "i") || first == UInt8(ascii: "n") else { return nil }
        let isInfinity = first == UInt8(ascii: "i")
        let matches =
            isInfinity
            ? peek(1) == UInt8(ascii: "n") && peek(2) == UInt8(ascii: "f")
            : peek(1) == UInt8(ascii: "a") && peek(2) == UInt8(ascii: "n")
        guard matches && !TOMLKeyFormatting.isBareKeyByte(peek(3)) else {
            throw error("expected a value, found \(describe(at: offset)); strings need quotes")
        }
        offset += 3
        return isInfinity ? Double.infinity : Double.nan
    }

    private static func radix(forPrefix byte: UInt8) -> (value: Int64, name: String)? {
        switch byte {
        case UInt8(ascii: "x"): return (16, "hexadecimal")
        case UInt8(ascii: "o"): return (8, "octal")
        case UInt8(ascii: "b"): return (2, "binary")
        default: return nil
        }
    }

    @inline(__always)
    private static func digitValue(_ byte: UInt8, radix: Int64) -> Int64? {
        guard let value = hexValue(byte), Int64(value) < radix else { return nil }
        return Int64(value)
    }

    /// Digits of `radix`, with single underscores allowed between digits. The cursor must be on
    /// a digit.
    private mutating func scanDigits(radix: Int64) throws(TOMLError) {
        while true {
            while Self.digitValue(peek(), radix: radix) != nil { offset += 1 }
            guard peek() == UInt8(ascii: "_") else { return }
            offset += 1
            guard Self.digitValue(peek(), radix: radix) != nil else {
                throw error("an underscore in a number must be between two digits", at: offset - 1)
            }
        }
    }

    private mutating func parseRadixInteger(radix: Int64, name: String, start: Int) throws(TOMLError) -> Int64 {
        let digitsStart = offset
        guard Self.digitValue(peek(), radix: radix) != nil else {
            throw error("expected \(name) digits after '\(text(from: start))'")
        }
        try scanDigits(radix: radix)
        var value: Int64 = 0
        for byte in UnsafeBufferPointer(rebasing: bytes[digitsStart..<offset]) {
            guard let digit = Self.digitValue(byte, radix: radix) else { continue }
            let (shifted, overflowMultiply) = value.multipliedReportingOverflow(by: radix)
            let (next, overflowAdd) = shifted.addingReportingOverflow(digit)
            guard !overflowMultiply && !overflowAdd else {
                throw error("integer '\(text(from: start))' does not fit in 64 bits", at: start)
            }
            value = next
        }
        return value
    }

    // MARK: Date-times

    /// full-date [ time-delim partial-time [ time-offset ] ]. The delimiter is `T`, `t` or a
    /// space followed by a digit (so `d = 1979-05-27 # comment` stays a local date).
    private mutating func parseDateOrDateTime() throws(TOMLError) -> TOMLValue.Kind {
        let date = try parseDate()
        let delimiter = peek()
        let hasTime =
            delimiter == UInt8(ascii: "T") || delimiter == UInt8(ascii: "t")
            || (delimiter == UInt8(ascii: " ") && Self.isDigit(peek(1)))
        guard hasTime else { return .localDate(date) }
        offset += 1
        let time = try parseTime()
        var offsetMinutes: Int? = nil
        switch peek() {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            offset += 1
            offsetMinutes = 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let isNegative = peek() == UInt8(ascii: "-")
            offset += 1
            let hoursOffset = offset
            let hours = try fixedDigits(2, what: "UTC offset hour")
            try expectSeparator(":", in: "UTC offset")
            let minutesOffset = offset
            let minutes = try fixedDigits(2, what: "UTC offset minute")
            guard hours <= 23 else { throw error("UTC offset hour \(hours) is out of range 00-23", at: hoursOffset) }
            guard minutes <= 59 else {
                throw error("UTC offset minute \(minutes) is out of range 00-59", at: minutesOffset)
            }
            offsetMinutes = (isNegative ? -1 : 1) * (hours * 60 + minutes)
        default:
            break
        }
        return .dateTime(TOMLDateTime(date: date, time: time, offsetMinutes: offsetMinutes))
    }

    /// full-date = date-fullyear "-" date-month "-" date-mday, validated against the calendar.
    private mutating func parseDate() throws(TOMLError) -> TOMLDate {
        let year = try fixedDigits(4, what: "year")
        try expectSeparator("-", in: "date")
        let monthOffset = offset
        let month = try fixedDigits(2, what: "month")
        try expectSeparator("-", in: "date")
        let dayOffset = offset
        let day = try fixedDigits(2, what: "day")
        guard (1...12).contains(month) else {
            throw error("month \(month) is out of range 01-12", at: monthOffset)
        }
        let lastDay = Self.daysInMonth(month, year: year)
        guard (1...lastDay).contains(day) else {
            throw error("day \(day) is out of range 01-\(lastDay) for \(year)-\(Self.twoDigits(month))", at: dayOffset)
        }
        return TOMLDate(year: year, month: month, day: day)
    }

    /// partial-time = hour ":" minute ":" second [ "." 1*DIGIT ]. Seconds are required (TOML
    /// 1.0); 60 is accepted for leap seconds; digits past nanoseconds are truncated.
    private mutating func parseTime() throws(TOMLError) -> TOMLTime {
        let hourOffset = offset
        let hour = try fixedDigits(2, what: "hour")
        try expectSeparator(":", in: "time")
        let minuteOffset = offset
        let minute = try fixedDigits(2, what: "minute")
        try expectSeparator(":", in: "time")
        let secondOffset = offset
        let second = try fixedDigits(2, what: "second")
        guard hour <= 23 else { throw error("hour \(hour) is out of range 00-23", at: hourOffset) }
        guard minute <= 59 else { throw error("minute \(minute) is out of range 00-59", at: minuteOffset) }
        guard second <= 60 else { throw error("second \(second) is out of range 00-60", at: secondOffset) }
        var nanosecond = 0
        if peek() == UInt8(ascii: ".") {
            offset += 1
            guard Self.isDigit(peek()) else {
                throw error("expected digits after the decimal point in the seconds")
            }
            var count = 0
            while Self.isDigit(peek()) {
                if count < 9 {
                    nanosecond = nanosecond * 10 + Int(peek() - UInt8(ascii: "0"))
                    count += 1
                }
                offset += 1
            }
            while count < 9 {
                nanosecond *= 10
                count += 1
            }
        }
        return TOMLTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
    }

    private mutating func fixedDigits(_ count: Int, what: String) throws(TOMLError) -> Int {
        var value = 0
        for index in 0..<count {
            let byte = peek(index)
            guard Self.isDigit(byte) else {
                throw error(
                    "expected \(count) digits for the \(what), found \(describe(at: offset + index))",
                    at: offset + index
                )
            }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        offset += count
        return value
    }

    private mutating func expectSeparator(_ separator: Unicode.Scalar, in what: String) throws(TOMLError) {
        guard peek() == UInt8(ascii: separator) else {
            throw error("expected '\(separator)' in \(what), found \(describe(at: offset))")
        }
        offset += 1
    }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return isLeap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
