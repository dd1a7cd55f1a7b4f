/// A point on the real (UTC) time line, with nanosecond resolution.
///
/// Stored as nanoseconds since the Unix epoch in an `Int64`, which covers the years 1678–2262: far
/// more than a scheduler that looks at most 100 years ahead needs, and cheap to compare and hash.
/// Leap seconds do not exist here, as in POSIX time.
public struct Instant: Hashable, Comparable, Sendable {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: Int64

    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// The instant `seconds` whole seconds after the epoch.
    public init(secondsSinceEpoch seconds: Int64) {
        self.nanosecondsSinceEpoch = seconds * 1_000_000_000
    }

    /// Whole seconds since the epoch, rounded towards negative infinity.
    public var secondsSinceEpoch: Int64 {
        floorDivide(nanosecondsSinceEpoch, 1_000_000_000)
    }

    /// The nanoseconds past `secondsSinceEpoch`, in `0..<1_000_000_000`.
    public var nanosecondOfSecond: Int64 {
        nanosecondsSinceEpoch - secondsSinceEpoch * 1_000_000_000
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    /// The instant `duration` later (earlier when negative).
    public static func + (lhs: Instant, rhs: Duration) -> Instant {
        Instant(nanosecondsSinceEpoch: lhs.nanosecondsSinceEpoch + rhs.totalNanoseconds)
    }

    public static func - (lhs: Instant, rhs: Duration) -> Instant {
        Instant(nanosecondsSinceEpoch: lhs.nanosecondsSinceEpoch - rhs.totalNanoseconds)
    }

    /// The span from `rhs` to `lhs`.
    public static func - (lhs: Instant, rhs: Instant) -> Duration {
        .nanoseconds(lhs.nanosecondsSinceEpoch - rhs.nanosecondsSinceEpoch)
    }
}

extension Duration {
    /// The whole span in nanoseconds (sub-nanosecond parts are truncated).
    ///
    /// - Important: traps for spans beyond ±292 years, which no schedule uses.
    public var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// Integer division rounding towards negative infinity, which calendar arithmetic needs for dates
/// before the epoch.
@inlinable
public func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// The remainder matching `floorDivide`, always in `0..<b` for positive `b`.
@inlinable
public func floorModulo(_ a: Int64, _ b: Int64) -> Int64 {
    a - floorDivide(a, b) * b
}
