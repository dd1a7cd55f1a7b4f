import Foundation
import TOML

/// Access to the toml-test suite named by `TOML_TEST_DIR` (the folder that contains `tests/`).
enum TOMLTestSuite {
    /// The suite folder from the environment, or nil when the variable is unset.
    static let directory: String? = ProcessInfo.processInfo.environment["TOML_TEST_DIR"]

    /// Whether the conformance tests should run; prints why not when they are skipped, so a run
    /// without the suite says so in its output rather than passing silently.
    static var isConfigured: Bool {
        if directory == nil {
            print("TOML_TEST_DIR is not set: skipping the toml-test conformance suite")
        }
        return directory != nil
    }

    /// The TOML 1.0 case paths (relative to `tests/`), without extension, split by kind.
    static func cases(in directory: String) throws -> (valid: [String], invalid: [String]) {
        let list = try String(contentsOfFile: directory + "/tests/files-toml-1.0.0", encoding: .utf8)
        var valid: [String] = []
        var invalid: [String] = []
        for line in list.split(separator: "\n") where line.hasSuffix(".toml") {
            let name = String(line.dropLast(".toml".count))
            if name.hasPrefix("valid/") {
                valid.append(name)
            } else if name.hasPrefix("invalid/") {
                invalid.append(name)
            }
        }
        return (valid, invalid)
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func expectedJSON(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: path)),
            options: [.fragmentsAllowed]
        )
    }
}

/// Semantic comparison of decoded values with the suite's tagged JSON.
///
/// Floats compare by value (NaN equals NaN, signs of infinities matter), integers as Int64, and
/// date-times field by field after parsing the expected RFC 3339 text independently of the decoder.
enum TaggedJSON {
    /// A description of the first difference, or nil when `table` matches `expected`.
    static func mismatch(_ table: TOMLTable, _ expected: Any, path: String = "") -> String? {
        guard let object = expected as? [String: Any] else { return "\(path): expected a non-table, got a table" }
        guard Set(object.keys) == Set(table.keys), table.keys.count == object.count else {
            return "\(path): keys \(table.keys.sorted()) != expected \(object.keys.sorted())"
        }
        for entry in table.entries {
            guard let expectedValue = object[entry.key] else { continue }
            if let problem = mismatch(entry.value, expectedValue, path: path + "." + entry.key) { return problem }
        }
        return nil
    }

    static func mismatch(_ value: TOMLValue, _ expected: Any, path: String) -> String? {
        switch value.kind {
        case .table(let table):
            return mismatch(table, expected, path: path)
        case .array(let elements):
            guard let array = expected as? [Any], array.count == elements.count else {
                return "\(path): array of \(elements.count) elements does not match \(expected)"
            }
            for (index, element) in elements.enumerated() {
                if let problem = mismatch(element, array[index], path: "\(path)[\(index)]") { return problem }
            }
            return nil
        default:
            guard let tagged = expected as? [String: Any], let type = tagged["type"] as? String,
                let text = tagged["value"] as? String
            else {
                return "\(path): expected \(expected), got \(value.kind)"
            }
            return matches(value.kind, type: type, text: text)
                ? nil : "\(path): expected \(type) '\(text)', got \(value.kind)"
        }
    }

    private static func matches(_ kind: TOMLValue.Kind, type: String, text: String) -> Bool {
        switch (kind, type) {
        case (.string(let actual), "string"): return actual == text
        case (.integer(let actual), "integer"): return Int64(text) == actual
        case (.boolean(let actual), "bool"): return text == (actual ? "true" : "false")
        case (.float(let actual), "float"):
            switch text {
            case "nan", "+nan", "-nan": return actual.isNaN
            case "inf", "+inf": return actual == .infinity
            case "-inf": return actual == -.infinity
            default: return Double(text) == actual
            }
        case (.dateTime(let actual), "datetime"), (.dateTime(let actual), "datetime-local"):
            guard let parsed = RFC3339Parts(text) else { return false }
            return (actual.offsetMinutes == nil) == (type == "datetime-local")
                && parsed.date == actual.date && parsed.time == actual.time
                && parsed.offsetMinutes == actual.offsetMinutes
        case (.localDate(let actual), "date-local"):
            return RFC3339Parts(text)?.date == actual
        case (.localTime(let actual), "time-local"):
            return RFC3339Parts(text)?.time == actual
        default:
            return false
        }
    }
}

/// The parts of an RFC 3339 date, time, or date-time string, parsed without the TOML decoder.
struct RFC3339Parts {
    var date: TOMLDate?
    var time: TOMLTime?
    var offsetMinutes: Int?

    init?(_ text: String) {
        var rest = Substring(text)
        if rest.count >= 10, rest.dropFirst(4).first == "-" {
            let fields = rest.prefix(10).split(separator: "-").compactMap { Int($0) }
            guard fields.count == 3 else { return nil }
            date = TOMLDate(year: fields[0], month: fields[1], day: fields[2])
            rest = rest.dropFirst(10)
            guard let separator = rest.first else { return }
            guard "Tt ".contains(separator) else { return nil }
            rest = rest.dropFirst()
        }
        let clock = rest.prefix(8).split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        rest = rest.dropFirst(8)
        var nanosecond = 0
        if rest.first == "." {
            let digits = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(1 + digits.count)
            let padded = (digits + String(repeating: "0", count: 9)).prefix(9)
            nanosecond = Int(padded) ?? 0
        }
        time = TOMLTime(hour: clock[0], minute: clock[1], second: clock[2], nanosecond: nanosecond)
        if rest == "Z" || rest == "z" {
            offsetMinutes = 0
        } else if let sign = rest.first, sign == "+" || sign == "-" {
            let parts = rest.dropFirst().split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2 else { return nil }
            offsetMinutes = (sign == "-" ? -1 : 1) * (parts[0] * 60 + parts[1])
        } else if !rest.isEmpty {
            return nil
        }
    }
}
