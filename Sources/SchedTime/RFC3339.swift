// API skeleton: parsing and formatting are being implemented.

/// RFC 3339 timestamps, the wire format of every time schedd prints for machines.
public enum RFC3339 {
    /// `2026-11-28T03:00:00Z`: UTC with `Z`, fractional seconds only when non-zero.
    public static func format(_ instant: Instant) -> String {
        "\(instant.nanosecondsSinceEpoch)"
    }

    /// `2026-03-08T03:00:00-04:00`: the reading at `offset`, fraction only when non-zero.
    public static func format(_ instant: Instant, offset: UTCOffset) -> String {
        "\(instant.nanosecondsSinceEpoch)"
    }

    /// Parses an RFC 3339 date-time with `Z` or a numeric offset (`T` or a space between date and
    /// time, any case). Returns nil when `text` is not one.
    public static func parse(_ text: String) -> Instant? {
        nil
    }
}
