public import SchedTime

/// Builds a Prometheus text exposition (format 0.0.4): `# HELP` and `# TYPE` once per family, then its
/// samples, one per line.
///
/// Numbers that come from nanosecond counts (timestamps, durations, bucket bounds, sums) are written as
/// exact decimals (`1795834800.123`, `0.005`) rather than through `Double`, so values round-trip and
/// tests can compare text.
public struct PrometheusText: Sendable {
    /// The kind of a metric family, as written on its `# TYPE` line.
    public enum Kind: String, Sendable {
        case counter
        case gauge
        case histogram
    }

    /// The exposition so far.
    public private(set) var text = ""

    public init() {}

    /// Starts a family: its `# HELP` and `# TYPE` lines.
    public mutating func family(_ name: String, _ kind: Kind, help: String) {
        text += "# HELP \(name) \(Self.escapedHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample line: `name{label="value",…} value`.
    public mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String> = [:], _ value: String) {
        text += name
        if !labels.isEmpty {
            text += "{"
            var first = true
            for (key, labelValue) in labels {
                if !first { text += "," }
                first = false
                text += key + "=\"" + Self.escapedLabelValue(labelValue) + "\""
            }
            text += "}"
        }
        text += " " + value + "\n"
    }

    /// Appends a sample with an extra label (the `le` of a bucket) after `labels`.
    mutating func sample(_ name: String, _ labels: [(String, String)], _ value: String) {
        text += name + "{"
        text += labels.map { "\($0.0)=\"\(Self.escapedLabelValue($0.1))\"" }.joined(separator: ",")
        text += "} " + value + "\n"
    }

    /// A histogram's samples: cumulative `_bucket{…,le="…"}` lines ending with `le="+Inf"`, then `_sum`
    /// and `_count`.
    public mutating func histogram(_ name: String, _ labels: [(String, String)], _ histogram: Histogram) {
        var cumulative: UInt64 = 0
        for (index, bound) in histogram.upperBounds.enumerated() {
            cumulative += histogram.bucketCounts[index]
            sample(name + "_bucket", labels + [("le", Self.seconds(bound))], String(cumulative))
        }
        sample(name + "_bucket", labels + [("le", "+Inf")], String(histogram.count))
        if labels.isEmpty {
            text += "\(name)_sum \(Self.seconds(histogram.sum))\n\(name)_count \(histogram.count)\n"
        } else {
            sample(name + "_sum", labels, Self.seconds(histogram.sum))
            sample(name + "_count", labels, String(histogram.count))
        }
    }

    // MARK: - Escaping

    /// Label values escape backslash, double quote and line feed (`\\`, `\"`, `\n`).
    public static func escapedLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == 0x0A })
        else { return value }
        var result = ""
        result.reserveCapacity(value.utf8.count + 4)
        for character in value.unicodeScalars {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// HELP text escapes backslash and line feed only.
    public static func escapedHelp(_ help: String) -> String {
        var result = ""
        for character in help.unicodeScalars {
            switch character {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    // MARK: - Numbers

    /// An exact decimal number of seconds for `duration`, without trailing zeros: `0.005`, `2.5`, `60`.
    public static func seconds(_ duration: Duration) -> String {
        decimalSeconds(nanoseconds: duration.totalNanoseconds)
    }

    /// Unix-epoch seconds for `instant`, exact: `1795834800`, `1795834800.123`.
    public static func seconds(_ instant: Instant) -> String {
        decimalSeconds(nanoseconds: instant.nanosecondsSinceEpoch)
    }

    private static func decimalSeconds(nanoseconds: Int64) -> String {
        // Magnitude as UInt64 so Int64.min does not overflow on negation.
        let magnitude = nanoseconds.magnitude
        let whole = magnitude / 1_000_000_000
        var fraction = magnitude % 1_000_000_000
        let sign = nanoseconds < 0 ? "-" : ""
        guard fraction != 0 else { return sign + String(whole) }
        var digits = 9
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: digits - text.count) + text
    }
}
