import SchedTime

/// Reads typed fields out of a JSON object for the protocol's decoders, turning every mismatch into
/// a `ControlProtocolError` that names the field (`job.next: expected an RFC 3339 string or null`).
struct JSONObjectReader {
    let value: JSONValue
    /// Where this object sits in the message, for error messages (`status`, `result[3]`).
    let path: String

    init(_ value: JSONValue, path: String) throws(ControlProtocolError) {
        guard case .object = value else { throw Self.mismatch(path, "an object") }
        self.value = value
        self.path = path
    }

    static func mismatch(_ path: String, _ expected: String) -> ControlProtocolError {
        ControlProtocolError(kind: .invalidMessage, message: "\(path): expected \(expected)")
    }

    private func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member `key`; nil when it is missing or null.
    func optional(_ key: String) -> JSONValue? {
        guard let member = value[key], !member.isNull else { return nil }
        return member
    }

    func string(_ key: String) throws(ControlProtocolError) -> String {
        guard let text = try optionalString(key) else { throw Self.mismatch(fieldPath(key), "a string") }
        return text
    }

    func optionalString(_ key: String) throws(ControlProtocolError) -> String? {
        guard let member = optional(key) else { return nil }
        guard let text = member.stringValue else { throw Self.mismatch(fieldPath(key), "a string or null") }
        return text
    }

    func integer(_ key: String) throws(ControlProtocolError) -> Int64 {
        guard let number = try optionalInteger(key) else { throw Self.mismatch(fieldPath(key), "an integer") }
        return number
    }

    func optionalInteger(_ key: String) throws(ControlProtocolError) -> Int64? {
        guard let member = optional(key) else { return nil }
        guard let number = member.integerValue else { throw Self.mismatch(fieldPath(key), "an integer or null") }
        return number
    }

    /// An integer that must fit `T` (an `Int32` exit code, an `Int` count).
    func optionalInteger<T: FixedWidthInteger>(_ key: String, as: T.Type) throws(ControlProtocolError) -> T? {
        guard let number = try optionalInteger(key) else { return nil }
        guard let exact = T(exactly: number) else { throw Self.mismatch(fieldPath(key), "a smaller integer") }
        return exact
    }

    func integer<T: FixedWidthInteger>(_ key: String, as type: T.Type) throws(ControlProtocolError) -> T {
        guard let number = try optionalInteger(key, as: type) else {
            throw Self.mismatch(fieldPath(key), "an integer")
        }
        return number
    }

    func optionalBool(_ key: String) throws(ControlProtocolError) -> Bool? {
        guard let member = optional(key) else { return nil }
        guard let flag = member.boolValue else { throw Self.mismatch(fieldPath(key), "true, false or null") }
        return flag
    }

    func optionalInstant(_ key: String) throws(ControlProtocolError) -> Instant? {
        guard let text = try optionalString(key) else { return nil }
        guard let instant = RFC3339.parse(text) else {
            throw Self.mismatch(fieldPath(key), "an RFC 3339 time or null")
        }
        return instant
    }

    func instant(_ key: String) throws(ControlProtocolError) -> Instant {
        guard let instant = try optionalInstant(key) else { throw Self.mismatch(fieldPath(key), "an RFC 3339 time") }
        return instant
    }

    /// An array of strings; a missing member is an empty array.
    func strings(_ key: String) throws(ControlProtocolError) -> [String] {
        guard let member = optional(key) else { return [] }
        guard let values = member.arrayValue else { throw Self.mismatch(fieldPath(key), "an array of strings") }
        var strings: [String] = []
        strings.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            guard let text = value.stringValue else { throw Self.mismatch("\(fieldPath(key))[\(index)]", "a string") }
            strings.append(text)
        }
        return strings
    }

    /// An array whose elements are decoded by `decode` (given each element and its path).
    func array<T>(
        _ key: String,
        _ decode: (JSONValue, String) throws(ControlProtocolError) -> T
    ) throws(ControlProtocolError) -> [T] {
        guard let member = optional(key) else { return [] }
        guard let values = member.arrayValue else { throw Self.mismatch(fieldPath(key), "an array") }
        var decoded: [T] = []
        decoded.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            decoded.append(try decode(value, "\(fieldPath(key))[\(index)]"))
        }
        return decoded
    }
}

extension JSONValue {
    /// An RFC 3339 UTC string, or null.
    init(_ instant: Instant?) {
        self = instant.map { .string(RFC3339.format($0)) } ?? .null
    }
}
