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

    /// A sample's value: written straight into the output, without an intermediate `String`.
    public enum Value: Sendable {
        /// A counter or gauge count: `42`.
        case count(UInt64)
        /// Seconds as an exact decimal: `2.5`.
        case seconds(Duration)
        /// Unix-epoch seconds as an exact decimal, or `0` for nil ("never").
        case timestamp(Instant?)
    }

    /// The exposition so far, as UTF-8 bytes (appending bytes is several times cheaper than appending
    /// to a `String`; see docs/BENCHMARKS.md, "Metrics registry").
    public private(set) var bytes: [UInt8] = []

    /// The exposition so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// - Parameter capacity: bytes to reserve (rendering thousands of jobs appends megabytes).
    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Starts a family: its `# HELP` and `# TYPE` lines.
    public mutating func family(_ name: String, _ kind: Kind, help: String) {
        append("# HELP \(name) \(Self.escapedHelp(help))\n# TYPE \(name) \(kind.rawValue)\n")
    }

    /// One sample line: `name{label="value",…} value`.
    public mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String> = [:], _ value: String) {
        sample(name, Labels(labels), value)
    }

    /// One sample line with preformatted labels.
    public mutating func sample(_ name: String, _ labels: Labels, _ value: String) {
        appendSeries(name, labels)
        append(value)
        bytes.append(0x0A)
    }

    /// One sample line with preformatted labels and a numeric value.
    public mutating func sample(_ name: String, _ labels: Labels, _ value: Value) {
        appendSeries(name, labels)
        append(value)
        bytes.append(0x0A)
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
            append(prefix)
            append(bound)
            append("\"} ")
            appendDecimal(cumulative)
            bytes.append(0x0A)
        }
        append(prefix)
        append("+Inf\"} ")
        appendDecimal(histogram.count)
        bytes.append(0x0A)
        sample(name + "_sum", labels, .seconds(histogram.sum))
        sample(name + "_count", labels, .count(histogram.count))
    }

    // MARK: - Appending

    private mutating func append(_ string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    /// `name{labels} ` (or `name ` without labels).
    private mutating func appendSeries(_ name: String, _ labels: Labels) {
        append(name)
        if !labels.text.isEmpty {
            bytes.append(UInt8(ascii: "{"))
            append(labels.text)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
    }

    private mutating func append(_ value: Value) {
        switch value {
        case .count(let count): appendDecimal(count)
        case .seconds(let duration): appendSeconds(nanoseconds: duration.totalNanoseconds)
        case .timestamp(let instant):
            if let instant { appendSeconds(nanoseconds: instant.nanosecondsSinceEpoch) } else { bytes.append(0x30) }
        }
    }

    /// Decimal digits of `value`, written without allocating.
    private mutating func appendDecimal(_ value: UInt64, minimumDigits: Int = 1) {
        // 20 digits hold UInt64.max.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var value = value
            var index = 20
            repeat {
                index -= 1
                buffer[index] = 0x30 + UInt8(value % 10)
                value /= 10
            } while value != 0 || 20 - index < minimumDigits
            bytes.append(contentsOf: buffer[index..<20])
        }
    }

    /// An exact decimal number of seconds, without trailing zeros: `0.005`, `2.5`, `60`, `-1.5`.
    private mutating func appendSeconds(nanoseconds: Int64) {
        // Magnitude as UInt64 so Int64.min does not overflow on negation.
        let magnitude = nanoseconds.magnitude
        if nanoseconds < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDecimal(magnitude / 1_000_000_000)
        var fraction = magnitude % 1_000_000_000
        guard fraction != 0 else { return }
        var digits = 9
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        bytes.append(UInt8(ascii: "."))
        appendDecimal(fraction, minimumDigits: digits)
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
        var out = PrometheusText()
        out.append(.seconds(duration))
        return out.text
    }

    /// Unix-epoch seconds for `instant`, exact: `1795834800`, `1795834800.123`.
    public static func seconds(_ instant: Instant) -> String {
        var out = PrometheusText()
        out.append(.timestamp(instant))
        return out.text
    }
}
