import SchedTime

/// Times and spans the way the human tables show them: local wall-clock time in the system zone and
/// rough relative spans ("in 3h 2m", "5m ago"). Machines get RFC 3339 through `--json` instead.
struct HumanTime {
    /// The zone tables are shown in (the system zone).
    var zone: Zone
    /// The instant relative spans are measured from.
    var now: Instant

    /// `2026-11-28 17:00:00` in `zone`.
    func local(_ instant: Instant) -> String {
        let offset = Int64(zone.offset(at: instant).seconds)
        let civil = CivilDateTime(localSecondsSinceEpoch: instant.secondsSinceEpoch + offset)
        return "\(pad(civil.year, 4))-\(pad(civil.month, 2))-\(pad(civil.day, 2)) "
            + "\(pad(civil.hour, 2)):\(pad(civil.minute, 2)):\(pad(civil.second, 2))"
    }

    /// `in 3h 2m`, `5m ago`, or `now` (within a second).
    func relative(_ instant: Instant) -> String {
        let seconds = (instant - now).totalNanoseconds / 1_000_000_000
        if seconds == 0 { return "now" }
        let span = Self.span(seconds: seconds.magnitude)
        return seconds > 0 ? "in \(span)" : "\(span) ago"
    }

    /// `2026-11-28 17:00:00 (in 3h 2m)`.
    func localWithRelative(_ instant: Instant) -> String {
        "\(local(instant)) (\(relative(instant)))"
    }

    /// The two largest units of a span: `2d 4h`, `3h 2m`, `5m 10s`, `42s`.
    static func span(seconds: UInt64) -> String {
        let units: [(UInt64, String)] = [(86_400, "d"), (3600, "h"), (60, "m"), (1, "s")]
        var remaining = seconds
        var parts: [String] = []
        for (size, name) in units where remaining >= size || (parts.isEmpty && size == 1) {
            parts.append("\(remaining / size)\(name)")
            remaining %= size
            if parts.count == 2 { break }
            if remaining == 0 { break }
        }
        return parts.joined(separator: " ")
    }

    /// A run's duration from milliseconds: `250ms`, `1.5s`, `2m 3s`.
    static func duration(milliseconds: Int64) -> String {
        if milliseconds < 1000 { return "\(max(0, milliseconds))ms" }
        if milliseconds < 60_000 {
            let tenths = milliseconds / 100
            return tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(tenths % 10)s"
        }
        return span(seconds: UInt64(milliseconds / 1000))
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
