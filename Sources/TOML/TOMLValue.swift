/// A place in a TOML document: 1-based line and column.
///
/// Columns count Unicode scalars from the start of the line, so a caret printed under the source
/// line with `column - 1` spaces lands on the right character for ordinary text.
public struct TOMLPosition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: TOMLPosition, rhs: TOMLPosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A calendar date as written in TOML (`1979-05-27`).
public struct TOMLDate: Hashable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
}

/// A time of day as written in TOML (`07:32:00.999999`). Precision beyond nanoseconds is truncated.
public struct TOMLTime: Hashable, Sendable {
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var nanosecond: Int

    public init(hour: Int, minute: Int, second: Int, nanosecond: Int = 0) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
    }
}

/// A date-time, with a UTC offset (offset date-time) or without (local date-time).
public struct TOMLDateTime: Hashable, Sendable {
    public var date: TOMLDate
    public var time: TOMLTime
    /// Minutes east of UTC; `nil` for a local date-time. `Z` is 0.
    public var offsetMinutes: Int?

    public init(date: TOMLDate, time: TOMLTime, offsetMinutes: Int?) {
        self.date = date
        self.time = time
        self.offsetMinutes = offsetMinutes
    }
}

/// One value of a TOML document together with where it was written.
public struct TOMLValue: Hashable, Sendable {
    public indirect enum Kind: Hashable, Sendable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        /// An offset or local date-time (see `TOMLDateTime.offsetMinutes`).
        case dateTime(TOMLDateTime)
        case localDate(TOMLDate)
        case localTime(TOMLTime)
        case array([TOMLValue])
        case table(TOMLTable)
    }

    public var kind: Kind
    /// Where the value starts (its first character; for a table, its header or opening brace;
    /// for an implicitly created table, the first key that created it).
    public var position: TOMLPosition

    public init(_ kind: Kind, at position: TOMLPosition) {
        self.kind = kind
        self.position = position
    }

    /// The TOML type name used in messages: `string`, `integer`, `float`, `boolean`,
    /// `offset date-time`, `local date-time`, `local date`, `local time`, `array`, `table`.
    public var typeName: String {
        switch kind {
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .boolean: return "boolean"
        case .dateTime(let value): return value.offsetMinutes == nil ? "local date-time" : "offset date-time"
        case .localDate: return "local date"
        case .localTime: return "local time"
        case .array: return "array"
        case .table: return "table"
        }
    }
}

/// A key/value entry of a table, remembering where its key was written.
public struct TOMLEntry: Hashable, Sendable {
    public var key: String
    /// Where the (last segment of the) key was written; for a `[header]` table, the header's key.
    public var keyPosition: TOMLPosition
    public var value: TOMLValue

    public init(key: String, keyPosition: TOMLPosition, value: TOMLValue) {
        self.key = key
        self.keyPosition = keyPosition
        self.value = value
    }
}

/// A TOML table: entries in document order, with lookup by key.
public struct TOMLTable: Hashable, Sendable {
    /// Entries in the order their keys first appeared in the document.
    public var entries: [TOMLEntry]

    public init(entries: [TOMLEntry] = []) {
        self.entries = entries
    }

    /// The entry for `key`, or nil.
    public func entry(_ key: String) -> TOMLEntry? {
        entries.first { $0.key == key }
    }

    /// The value for `key`, or nil.
    public subscript(key: String) -> TOMLValue? {
        entry(key)?.value
    }

    public var keys: [String] { entries.map(\.key) }
}

/// Why a document is not valid TOML: what and where.
public struct TOMLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, as a sentence fragment without position (`expected '=' after key`).
    public var message: String
    public var position: TOMLPosition

    public init(_ message: String, at position: TOMLPosition) {
        self.message = message
        self.position = position
    }

    /// `line:column: message`.
    public var description: String { "\(position): \(message)" }
}
