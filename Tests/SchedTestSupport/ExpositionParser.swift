/// A strict reader of the Prometheus text format for tests: it checks the grammar of every line and
/// the family structure, and returns the samples by their full series text (`name{a="b"}`).
public struct Exposition {
    public struct Failure: Error, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Series text (`name{label="value",…}` exactly as written, or `name`) → value text.
    public private(set) var samples: [String: String] = [:]
    /// Series in the order written.
    public private(set) var order: [String] = []
    /// Family name → type.
    public private(set) var types: [String: String] = [:]
    public private(set) var helps: [String: String] = [:]
    /// Parsed label sets per series text.
    public private(set) var labels: [String: [(String, String)]] = [:]

    public init(_ text: String) throws {
        guard text.hasSuffix("\n") else { throw Failure(line: 0, message: "no final newline") }
        var current: String?
        var seenFamilies: Set<String> = []
        for (index, line) in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst(7)
                guard let space = rest.firstIndex(of: " ") else { throw Failure(line: number, message: "HELP") }
                let name = String(rest[..<space])
                guard Self.isMetricName(name), helps[name] == nil, !seenFamilies.contains(name) else {
                    throw Failure(line: number, message: "bad or repeated HELP for \(name)")
                }
                helps[name] = String(rest[rest.index(after: space)...])
                current = name
                seenFamilies.insert(name)
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2, String(parts[0]) == current, types[String(parts[0])] == nil,
                    ["counter", "gauge", "histogram", "summary", "untyped"].contains(String(parts[1]))
                else { throw Failure(line: number, message: "bad TYPE line") }
                types[String(parts[0])] = String(parts[1])
            } else if line.hasPrefix("#") {
                throw Failure(line: number, message: "unexpected comment")
            } else {
                let (series, name, labelSet, value) = try Self.sample(line, number)
                guard let family = current, let type = types[family] else {
                    throw Failure(line: number, message: "sample before TYPE")
                }
                let allowed =
                    type == "histogram" ? [family + "_bucket", family + "_sum", family + "_count"] : [family]
                guard allowed.contains(name) else {
                    throw Failure(line: number, message: "\(name) outside its family (\(family))")
                }
                guard samples[series] == nil else { throw Failure(line: number, message: "duplicate \(series)") }
                samples[series] = value
                labels[series] = labelSet
                order.append(series)
            }
        }
    }

    /// The value of `name` with `labels` (in the order written), or nil.
    public func value(_ name: String, _ labels: KeyValuePairs<String, String> = [:]) -> String? {
        samples[Self.series(name, labels.map { ($0.key, $0.value) })]
    }

    public static func series(_ name: String, _ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return name }
        return name + "{" + labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",") + "}"
    }

    // MARK: - Grammar

    public static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "_" || first == ":"
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || $0 == "_" || $0 == ":" || ("0"..."9").contains($0))
        }
    }

    /// `name`, `{label="value",…}` with `\\`, `\"`, `\n` escapes, a space, a value (float, `+Inf`, `NaN`).
    private static func sample(_ line: Substring, _ number: Int) throws -> (String, String, [(String, String)], String)
    {
        let scalars = Array(line.unicodeScalars)
        var index = 0
        var name = ""
        while index < scalars.count, scalars[index] != "{", scalars[index] != " " {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        guard isMetricName(name) else { throw Failure(line: number, message: "bad metric name '\(name)'") }
        var labelSet: [(String, String)] = []
        if index < scalars.count, scalars[index] == "{" {
            index += 1
            while true {
                var key = ""
                while index < scalars.count, scalars[index] != "=" {
                    key.unicodeScalars.append(scalars[index])
                    index += 1
                }
                guard isMetricName(key), !key.hasPrefix("__"), index + 1 < scalars.count, scalars[index + 1] == "\""
                else { throw Failure(line: number, message: "bad label name '\(key)'") }
                index += 2
                var value = ""
                while true {
                    guard index < scalars.count else { throw Failure(line: number, message: "unterminated value") }
                    let scalar = scalars[index]
                    index += 1
                    if scalar == "\"" { break }
                    if scalar == "\\" {
                        guard index < scalars.count else { throw Failure(line: number, message: "dangling escape") }
                        switch scalars[index] {
                        case "\\": value += "\\"
                        case "\"": value += "\""
                        case "n": value += "\n"
                        default: throw Failure(line: number, message: "bad escape")
                        }
                        index += 1
                    } else {
                        value.unicodeScalars.append(scalar)
                    }
                }
                labelSet.append((key, value))
                guard index < scalars.count else { throw Failure(line: number, message: "unterminated labels") }
                if scalars[index] == "," {
                    index += 1
                    continue
                }
                guard scalars[index] == "}" else { throw Failure(line: number, message: "expected , or }") }
                index += 1
                break
            }
        }
        guard index < scalars.count, scalars[index] == " " else { throw Failure(line: number, message: "no value") }
        let value = String(String.UnicodeScalarView(scalars[(index + 1)...]))
        guard value == "+Inf" || value == "-Inf" || value == "NaN" || Double(value) != nil, !value.contains(" ") else {
            throw Failure(line: number, message: "bad value '\(value)'")
        }
        let series = String(line[..<line.index(line.startIndex, offsetBy: index)])
        return (series, name, labelSet, value)
    }

    /// Checks every histogram: buckets ascend in `le`, counts are cumulative, `+Inf` equals `_count`.
    public func checkHistograms() throws {
        for (family, type) in types where type == "histogram" {
            var groups: [String: [(le: String, count: UInt64)]] = [:]
            for series in order where series.hasPrefix(family + "_bucket{") {
                let set = labels[series]!
                let le = set.last!.1
                let rest = Self.series(family + "_count", Array(set.dropLast()))
                groups[rest, default: []].append((le, UInt64(samples[series]!)!))
            }
            for (countSeries, buckets) in groups {
                guard buckets.last?.le == "+Inf" else { throw Failure(line: 0, message: "\(family): no +Inf last") }
                let bounds = buckets.dropLast().map { Double($0.le)! }
                guard zip(bounds, bounds.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    throw Failure(line: 0, message: "\(family): bounds not ascending")
                }
                guard zip(buckets, buckets.dropFirst()).allSatisfy({ $0.count <= $1.count }) else {
                    throw Failure(line: 0, message: "\(family): not cumulative")
                }
                guard samples[countSeries].flatMap(UInt64.init) == buckets.last!.count else {
                    throw Failure(line: 0, message: "\(family): +Inf != _count for \(countSeries)")
                }
            }
        }
    }
}
