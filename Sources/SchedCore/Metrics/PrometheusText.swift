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

    /// A label set written once, escaped, without braces: `job="a",result="ok"`. Rendering reuses it
    /// for every line of a job instead of escaping the same id again on each one.
    public struct Labels: Sendable {
        public let text: String

        public init(_ pairs: KeyValuePairs<String, String>) {
            text = pairs.map { "\($0.key)=\"\(PrometheusText.escapedLabelValue($0.value))\"" }.joined(separator: ",")
        }

        init(text: String) {
            self.text = text
        }

        /// These labels plus one more (written after them).
        public func appending(_ key: String, _ value: String) -> Labels {
            let pair = "\(key)=\"\(PrometheusText.escapedLabelValue(value))\""
            return Labels(text: text.isEmpty ? pair : text + "," + pair)
        }
    }

    /// The exposition so far.
    public private(set) var text = ""

    /// - Parameter capacity: bytes to reserve (rendering thousands of jobs appends megabytes).
    public init(capacity: Int = 0) {
        text.reserveCapacity(capacity)
    }

    /// Starts a family: its `# HELP` and `# TYPE` lines.
    public mutating func family(_ name: String, _ kind: Kind, help: String) {
        text += "# HELP \(name) \(Self.escapedHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample line: `name{label="value",…} value`.
    public mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String> = [:], _ value: String) {
        sample(name, Labels(labels), value)
    }

    /// One sample line with preformatted labels.
    public mutating func sample(_ name: String, _ labels: Labels, _ value: String) {
        text += name
        if !labels.text.isEmpty {
            text += "{"
            text += labels.text
            text += "}"
        }
        text += " "
        text += value
        text += "\n"
    }

    /// A histogram's samples: cumulative `_bucket{…,le="…"}` lines ending with `le="+Inf"`, then `_sum`
    /// and `_count`.
    ///
    /// - Parameter boundTexts: `seconds(bound)` for each upper bound, when the caller renders many
    ///   histograms with the same bounds and has computed them once.
    public mutating func histogram(
        _ name: String,
        _ labels: Labels,
        _ histogram: Histogram,
        boundTexts: [String]? = nil
    ) {
        let bounds = boundTexts ?? histogram.upperBounds.map(Self.seconds)
        precondition(bounds.count == histogram.upperBounds.count, "one text per bound")
        let prefix = name + "_bucket{" + (labels.text.isEmpty ? "" : labels.text + ",") + "le=\""
        var cumulative: UInt64 = 0
        for (index, bound) in bounds.enumerated() {
            cumulative += histogram.bucketCounts[index]
            text += prefix
            text += bound
            text += "\"} "
            text += String(cumulative)
            text += "\n"
        }
        text += prefix
        text += "+Inf\"} "
        text += String(histogram.count)
        text += "\n"
        sample(name + "_sum", labels, Self.seconds(histogram.sum))
        sample(name + "_count", labels, String(histogram.count))
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
