/// Prints measurements as a readable table row or as one JSON object per line.
///
/// JSON lines always carry `bench`, `case`, `metric`, `value` and `unit` so scripts can compare runs.
struct Reporter {
    let json: Bool

    func report(bench: String, case name: String, metric: String, value: Double, unit: String) {
        if json {
            print(
                "{\"bench\":\(quoted(bench)),\"case\":\(quoted(name)),\"metric\":\(quoted(metric)),"
                    + "\"value\":\(rounded(value)),\"unit\":\(quoted(unit))}"
            )
        } else {
            let label = name.padding(toLength: 40) + " " + metric.padding(toLength: 12)
            print("\(label) \(rounded(value)) \(unit)")
        }
    }

    private func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += "\\u" + pad4(scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private func pad4(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }

    private func rounded(_ value: Double) -> String {
        let scaled = (value * 10).rounded() / 10
        return scaled == scaled.rounded() ? String(Int64(scaled)) : String(scaled)
    }
}

extension String {
    /// Pads with spaces on the right to `length` characters (longer strings are left as they are).
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
