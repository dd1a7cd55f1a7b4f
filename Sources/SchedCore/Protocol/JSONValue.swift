// JSON: the control protocol's wire values, parsed and printed by hand.
//
// Design note
// - SchedCore stays free of Foundation, so the protocol carries its own small JSON tree: `JSONValue`
//   with objects as ordered key/value pairs (output is deterministic and keeps the field order the
//   wire types chose), integers kept exact as `Int64` and other numbers as `Double`.
// - The parser (`JSONParser`) reads untrusted bytes from a socket: it never traps, enforces a nesting
//   limit and a size limit, rejects invalid UTF-8, unpaired surrogates and trailing garbage, and
//   reports the byte offset of the first problem.
// - The printer (`JSONValue.serialized()`) writes compact RFC 8259 JSON on one line: every control
//   character is escaped, so a printed value never contains a newline and fits the line framing.

/// A JSON value.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits `Int64`.
    case integer(Int64)
    /// Any other number.
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Members in their order of appearance; duplicate keys are rejected by the parser.
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .integer(let value): hasher.combine(value)
        case .double(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .array(let values): hasher.combine(values)
        case .object(let members):
            hasher.combine(members.count)
            for member in members {
                hasher.combine(member.key)
                hasher.combine(member.value)
            }
        }
    }

    // MARK: - Access

    /// The member named `key` of an object (the first, should a hand-built object repeat it); nil for
    /// other values or a missing key.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

// MARK: - Convenience initialisers

extension JSONValue {
    /// `.string(value)`, or `.null` when value is nil.
    public init(_ value: String?) {
        self = value.map(JSONValue.string) ?? .null
    }

    /// `.integer(value)`, or `.null` when value is nil.
    public init<T: BinaryInteger>(_ value: T?) {
        guard let value, let exact = Int64(exactly: value) else {
            self = .null
            return
        }
        self = .integer(exact)
    }
}
