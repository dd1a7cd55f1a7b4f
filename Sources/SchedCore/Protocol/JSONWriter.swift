public import SchedTime

/// Writes compact JSON straight into a byte buffer, for the responses that can be large (a listing
/// of 10,000 jobs is about 4.5 MB): no intermediate `JSONValue` tree, no per-field `String`s.
///
/// Output is byte-for-byte what `JSONValue.serialized()` prints for the same value (tests check
/// this), so the two paths can be mixed freely. The caller is responsible for well-formedness:
/// `key` only inside objects, commas are inserted automatically.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next value or key in the current container needs a comma before it.
    private var needsComma = false

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// Hands over the buffer (without copying) and leaves the writer empty.
    public mutating func takeBytes() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &bytes)
        needsComma = false
        return taken
    }

    // MARK: - Containers

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object member's key; the value written next belongs to it.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    /// A key given at run time (escaped).
    public mutating func key(_ name: String) {
        separate()
        Self.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: - Scalars

    public mutating func null() {
        separate()
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func string(_ value: String) {
        separate()
        Self.appendQuoted(value, to: &bytes)
    }

    public mutating func string(_ value: String?) {
        guard let value else { return null() }
        string(value)
    }

    public mutating func integer<T: BinaryInteger>(_ value: T) {
        separate()
        Self.appendDecimal(Int64(truncatingIfNeeded: value), to: &bytes)
    }

    public mutating func integer<T: BinaryInteger>(_ value: T?) {
        guard let value else { return null() }
        integer(value)
    }

    /// An RFC 3339 UTC time (`2026-11-28T03:00:00Z`, fraction only when non-zero), as
    /// `RFC3339.format` writes it.
    public mutating func instant(_ value: Instant?) {
        guard let value else { return null() }
        separate()
        let civil = CivilDateTime(
            localSecondsSinceEpoch: value.secondsSinceEpoch,
            nanosecond: Int(value.nanosecondOfSecond)
        )
        guard (0...9999).contains(civil.year) else {
            // Outside four-digit years the general formatter decides the spelling.
            Self.appendQuoted(RFC3339.format(value), to: &bytes)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        appendDigits(civil.year, 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(civil.month, 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(civil.day, 2)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(civil.hour, 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(civil.minute, 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(civil.second, 2)
        if civil.nanosecond != 0 {
            bytes.append(UInt8(ascii: "."))
            var fraction = civil.nanosecond
            var digits = 9
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            appendDigits(fraction, digits)
        }
        bytes.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
    }

    /// A value already built as a tree.
    public mutating func value(_ value: JSONValue) {
        separate()
        value.write(to: &bytes)
    }

    private mutating func appendDigits(_ value: Int, _ count: Int) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        var remaining = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(remaining / divisor % 10))
            remaining %= divisor
            divisor /= 10
        }
    }

    // MARK: - Shared with JSONValue

    /// Decimal digits of `value` without allocating.
    static func appendDecimal(_ value: Int64, to bytes: inout [UInt8]) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 20 digits at most, stored reversed
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) {
                bytes.append(buffer[index])
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A quoted JSON string: `"` and `\` escaped, control characters as short escapes or `\u00XX`.
    /// Strings with nothing to escape (the usual case) are copied in one piece.
    static func appendQuoted(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x22: bytes.append(UInt8(ascii: "\""))
                case 0x5C: bytes.append(UInt8(ascii: "\\"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    bytes.append(hexDigits[Int(byte >> 4)])
                    bytes.append(hexDigits[Int(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
