import SchedTime

// Pull decoding: the protocol's large payloads (job and run lists) are read straight from the
// bytes into their types, without a `JSONValue` tree in between (the tree cost 17 of 27 ms when
// decoding a 10,000-job listing). Everything else still goes through the tree.

extension JSONCursor {
    /// Runs a parsing step, turning its error into a protocol error.
    @inline(__always)
    mutating func step<T>(_ body: (inout JSONCursor) throws(JSONParseError) -> T) throws(ControlProtocolError) -> T {
        do {
            return try body(&self)
        } catch {
            throw ControlProtocolError(kind: .malformedJSON, message: "malformed JSON: \(error)")
        }
    }

    /// Consumes `null` when it is next (after whitespace).
    mutating func takeNull() throws(ControlProtocolError) -> Bool {
        skipWhitespace()
        guard current == UInt8(ascii: "n") else { return false }
        try step { (cursor) throws(JSONParseError) in try cursor.expectLiteral("null") }
        return true
    }

    mutating func readString(_ path: @autoclosure () -> String) throws(ControlProtocolError) -> String {
        skipWhitespace()
        guard current == UInt8(ascii: "\"") else { throw JSONObjectReader.mismatch(path(), "a string") }
        return try step { (cursor) throws(JSONParseError) in try cursor.parseString() }
    }

    mutating func readOptionalString(_ path: @autoclosure () -> String) throws(ControlProtocolError) -> String? {
        try takeNull() ? nil : readString(path())
    }

    /// Any value, parsed to a tree (for members the pull decoders do not know).
    mutating func readValue() throws(ControlProtocolError) -> JSONValue {
        skipWhitespace()
        return try step { (cursor) throws(JSONParseError) in try cursor.parseValue(depth: 2) }
    }

    mutating func readOptionalInteger(_ path: @autoclosure () -> String) throws(ControlProtocolError) -> Int64? {
        if try takeNull() { return nil }
        guard case .integer(let number) = try readValue() else { throw JSONObjectReader.mismatch(path(), "an integer") }
        return number
    }

    mutating func readOptionalInteger<T: FixedWidthInteger>(_ path: @autoclosure () -> String, as: T.Type)
        throws(ControlProtocolError)
        -> T?
    {
        guard let number = try readOptionalInteger(path()) else { return nil }
        guard let exact = T(exactly: number) else { throw JSONObjectReader.mismatch(path(), "a smaller integer") }
        return exact
    }

    /// An RFC 3339 time or null.
    mutating func readOptionalInstant(_ path: @autoclosure () -> String) throws(ControlProtocolError) -> Instant? {
        skipWhitespace()
        if let instant = takeCanonicalInstant() { return instant }
        guard let text = try readOptionalString(path()) else { return nil }
        guard let instant = RFC3339.parse(text) else { throw JSONObjectReader.mismatch(path(), "an RFC 3339 time") }
        return instant
    }

    /// `"YYYY-MM-DDTHH:MM:SSZ"` read straight from the bytes (what `JSONWriter` writes for whole
    /// seconds), without making a `String`; nil, consuming nothing, for anything else.
    private mutating func takeCanonicalInstant() -> Instant? {
        let length = 22  // quotes included
        guard bytes.count - index >= length, bytes[index] == UInt8(ascii: "\""),
            bytes[index + 21] == UInt8(ascii: "\""), bytes[index + 20] == UInt8(ascii: "Z"),
            bytes[index + 5] == UInt8(ascii: "-"), bytes[index + 8] == UInt8(ascii: "-"),
            bytes[index + 11] == UInt8(ascii: "T"), bytes[index + 14] == UInt8(ascii: ":"),
            bytes[index + 17] == UInt8(ascii: ":")
        else { return nil }
        func number(_ offset: Int, _ count: Int) -> Int? {
            var value = 0
            for position in (index + offset)..<(index + offset + count) {
                let digit = bytes[position] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = number(1, 4), let month = number(6, 2), let day = number(9, 2),
            let hour = number(12, 2), let minute = number(15, 2), let second = number(18, 2)
        else { return nil }
        let civil = CivilDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard civil.isValid else { return nil }
        let (nanoseconds, overflow) = civil.localSecondsSinceEpoch.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        index += length
        return Instant(nanosecondsSinceEpoch: nanoseconds)
    }

    /// Reads an object, calling `member` with each key; `member` must consume the value.
    mutating func readObject(
        _ path: @autoclosure () -> String,
        _ member: (inout JSONCursor, String) throws(ControlProtocolError) -> Void
    ) throws(ControlProtocolError) {
        skipWhitespace()
        guard current == UInt8(ascii: "{") else { throw JSONObjectReader.mismatch(path(), "an object") }
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return
        }
        var seen: [String] = []
        seen.reserveCapacity(16)
        while true {
            let key = try readString(path())
            // Duplicate keys are refused as by the tree parser (objects here are small).
            guard !seen.contains(key) else {
                throw ControlProtocolError(
                    kind: .malformedJSON,
                    message: "malformed JSON: duplicate key at byte \(index)"
                )
            }
            seen.append(key)
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw malformed("expected ':'") }
            index += 1
            try member(&self, key)
            skipWhitespace()
            guard let separator = current else { throw malformed("unexpected end of input") }
            index += 1
            if separator == UInt8(ascii: "}") { return }
            guard separator == UInt8(ascii: ",") else { throw malformed("expected ',' or '}'") }
        }
    }

    /// Reads an array, calling `element` for each element; `element` must consume it.
    mutating func readArray(
        _ path: @autoclosure () -> String,
        _ element: (inout JSONCursor, Int) throws(ControlProtocolError) -> Void
    ) throws(ControlProtocolError) {
        skipWhitespace()
        guard current == UInt8(ascii: "[") else { throw JSONObjectReader.mismatch(path(), "an array") }
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return
        }
        var position = 0
        while true {
            try element(&self, position)
            position += 1
            skipWhitespace()
            guard let separator = current else { throw malformed("unexpected end of input") }
            index += 1
            if separator == UInt8(ascii: "]") { return }
            guard separator == UInt8(ascii: ",") else { throw malformed("expected ',' or ']'") }
        }
    }

    func malformed(_ what: String) -> ControlProtocolError {
        ControlProtocolError(kind: .malformedJSON, message: "malformed JSON: \(what) at byte \(index)")
    }
}
