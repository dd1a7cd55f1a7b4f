// toml-test-decoder: the decoder interface of the toml-test suite.
//
// Reads a TOML document on stdin. Valid: prints the suite's tagged JSON on stdout, exit 0.
// Invalid: prints `line:column: message` on stderr, exit 1.

import Glibc
import TOML

// MARK: - I/O

/// All of stdin as bytes.
func readStandardInput() -> [UInt8] {
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if count > 0 {
            data.append(contentsOf: chunk[0..<count])
        } else if count == 0 || errno != EINTR {
            return data
        }
    }
}

/// Writes all of `text` to `descriptor`, retrying short and interrupted writes.
func write(_ text: String, to descriptor: Int32) {
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return }
        var written = 0
        while written < buffer.count {
            let count = write(descriptor, base + written, buffer.count - written)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            written += count
        }
    }
}

// MARK: - Tagged JSON

/// `text` as a JSON string literal.
func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}

func tagged(_ type: String, _ value: String) -> String {
    "{\"type\":\"\(type)\",\"value\":\(jsonString(value))}"
}

/// The suite's JSON for a value: objects for tables, arrays for arrays, tagged strings otherwise.
/// Recursion depth is bounded by the decoder's nesting limit.
func json(_ value: TOMLValue) -> String {
    switch value.kind {
    case .string(let text): return tagged("string", text)
    case .integer(let number): return tagged("integer", String(number))
    case .float(let number):
        if number.isNaN { return tagged("float", "nan") }
        if number.isInfinite { return tagged("float", number < 0 ? "-inf" : "inf") }
        return tagged("float", String(number))
    case .boolean(let flag): return tagged("bool", flag ? "true" : "false")
    case .dateTime(let dateTime):
        return tagged(dateTime.offsetMinutes == nil ? "datetime-local" : "datetime", dateTime.description)
    case .localDate(let date): return tagged("date-local", date.description)
    case .localTime(let time): return tagged("time-local", time.description)
    case .array(let elements): return "[" + elements.map(json).joined(separator: ",") + "]"
    case .table(let table): return json(table)
    }
}

func json(_ table: TOMLTable) -> String {
    "{" + table.entries.map { jsonString($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
}

// MARK: - Main

do {
    let table = try TOMLDecoder.decode(readStandardInput())
    write(json(table) + "\n", to: 1)
    exit(0)
} catch {
    write("\(error)\n", to: 2)
    exit(1)
}
