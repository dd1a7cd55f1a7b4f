/// A field value in a log event, typed so JSON output can write numbers, booleans and null unquoted.
///
/// Literal-friendly: `["job": "backup", "attempt": 2, "ok": true]`, and string interpolation works.
public enum LogValue: Sendable, Hashable, ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral, ExpressibleByNilLiteral
{
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case null

    public init(stringLiteral value: String) { self = .string(value) }
    public init(stringInterpolation: DefaultStringInterpolation) {
        self = .string(String(stringInterpolation: stringInterpolation))
    }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }

    /// The value as plain text (logfmt, before quoting).
    var text: String {
        switch self {
        case .string(let string): string
        case .integer(let integer): String(integer)
        case .double(let double): String(double)
        case .bool(let bool): bool ? "true" : "false"
        case .null: ""
        }
    }
}
