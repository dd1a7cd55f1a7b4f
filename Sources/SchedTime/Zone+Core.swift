// MARK: - Design note
//
// A `Zone` is an immutable, shared (class) value holding one flat, sorted table of transitions:
// `transitionTimes[i]` (seconds since the epoch, strictly increasing) and `offsetsAfter[i]`, the
// UTC offset from that instant until the next one; `initialOffset` applies before the first.
// Every entry is a real change of offset (abbreviation-only changes are dropped), so
// `nextTransition(after:)` never reports a no-op.
//
// Loading (`Zone+Loading.swift`, `TZif.swift`) reads the 64-bit block of a TZif file and then
// expands the POSIX TZ footer (`CET-1CEST,M3.5.0,M10.5.0/3`) into explicit transitions through
// the year 2262, where `Instant`'s Int64 nanoseconds end. Debian's slim TZif files list
// transitions only until the rules last changed, so the footer carries every future DST switch;
// expanding it once means no lookup ever evaluates a rule, and the table costs ~16 bytes per
// transition (about 8 KB for a zone with DST today). Zones are cached by name behind a `Mutex`,
// so each file is read and expanded once per process.
//
// Cost of each lookup (n = transitions in the table, a few hundred):
// - `offset(at:)`, `localTime(at:)`, `nextTransition(after:)`, `previousTransition(atOrBefore:)`:
//   one binary search, O(log n) (~9 probes), no allocation.
// - `resolve(_:)`: one binary search plus a scan of the transitions within the zone's offset span
//   around the reading (one to three in practice), no allocation. It is exact: a reading is
//   `unique`, `skipped` (with the transition whose gap contains it) or `repeated` (both instants),
//   decided by checking, for each candidate offset interval, whether the reading's instant under
//   that offset falls inside it.

/// A time zone: the rules that map real instants to wall-clock readings and back.
///
/// Zones are immutable values loaded once and cached (`Zone.named(_:)`); every lookup is
/// allocation-free. Two zones are equal when their identifiers are.
public final class Zone: Sendable, Hashable, CustomStringConvertible {
    /// The name the zone was asked for (`Europe/Berlin`, `UTC`, `+05:30`).
    public let identifier: String
    /// Offset in force before the first transition (or always, for a fixed zone).
    let initialOffset: UTCOffset
    /// Transition instants in seconds since the epoch, strictly increasing, all within `Instant`'s
    /// range.
    let transitionTimes: [Int64]
    /// `offsetsAfter[i]` is in force from `transitionTimes[i]` until the next transition.
    let offsetsAfter: [UTCOffset]
    /// The smallest and largest offset the zone ever uses: they bound how far a wall-clock reading
    /// can be from its instant, which limits `resolve`'s scan.
    let minimumOffset: Int64
    let maximumOffset: Int64

    init(
        identifier: String,
        initialOffset: UTCOffset,
        transitionTimes: [Int64] = [],
        offsetsAfter: [UTCOffset] = []
    ) {
        precondition(transitionTimes.count == offsetsAfter.count, "one offset per transition")
        self.identifier = identifier
        self.initialOffset = initialOffset
        self.transitionTimes = transitionTimes
        self.offsetsAfter = offsetsAfter
        let all = offsetsAfter.map { Int64($0.seconds) } + [Int64(initialOffset.seconds)]
        minimumOffset = all.min() ?? 0
        maximumOffset = all.max() ?? 0
    }

    convenience init(identifier: String, table: ZoneTable) {
        self.init(
            identifier: identifier,
            initialOffset: table.initialOffset,
            transitionTimes: table.times,
            offsetsAfter: table.offsets
        )
    }

    public static let utc = Zone(identifier: "UTC", initialOffset: .zero)

    /// A zone that is always `offset` from UTC, named by the offset (`+05:30`).
    public static func fixed(_ offset: UTCOffset) -> Zone {
        Zone(identifier: offset.description, initialOffset: offset)
    }

    public var description: String { identifier }

    public static func == (lhs: Zone, rhs: Zone) -> Bool { lhs === rhs || lhs.identifier == rhs.identifier }

    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

    /// Whether the offset never changes.
    public var isFixed: Bool { transitionTimes.isEmpty }

    // MARK: - Lookups

    /// The number of transitions at or before `seconds`: the index of the first one after it.
    @inline(__always)
    private func transitionCount(atOrBefore seconds: Int64) -> Int {
        var low = 0
        var high = transitionTimes.count
        while low < high {
            let mid = (low &+ high) >> 1
            if transitionTimes[mid] <= seconds { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The offset in force from transition `index - 1` on (the initial offset for index 0).
    @inline(__always)
    private func offset(afterCount count: Int) -> UTCOffset {
        count == 0 ? initialOffset : offsetsAfter[count - 1]
    }

    @inline(__always)
    private func transition(at index: Int) -> ZoneTransition {
        ZoneTransition(
            instant: Instant(secondsSinceEpoch: transitionTimes[index]),
            offsetBefore: offset(afterCount: index),
            offsetAfter: offsetsAfter[index]
        )
    }

    /// The UTC offset in force at `instant`. O(log n), no allocation.
    public func offset(at instant: Instant) -> UTCOffset {
        offset(afterCount: transitionCount(atOrBefore: instant.secondsSinceEpoch))
    }

    /// The wall-clock reading at `instant`. O(log n), no allocation.
    public func localTime(at instant: Instant) -> CivilDateTime {
        let offset = Int64(offset(at: instant).seconds)
        return CivilDateTime(
            localSecondsSinceEpoch: instant.secondsSinceEpoch + offset,
            nanosecond: Int(instant.nanosecondOfSecond)
        )
    }

    /// The first transition strictly after `instant`, or nil when the zone never changes again
    /// (within `Instant`'s range, which ends in 2262). O(log n), no allocation.
    public func nextTransition(after instant: Instant) -> ZoneTransition? {
        // Transitions are whole seconds, so "after the instant" is "after its floored second".
        let index = transitionCount(atOrBefore: instant.secondsSinceEpoch)
        return index < transitionTimes.count ? transition(at: index) : nil
    }

    /// The last transition at or before `instant`, or nil when there is none. O(log n), no
    /// allocation.
    public func previousTransition(atOrBefore instant: Instant) -> ZoneTransition? {
        let count = transitionCount(atOrBefore: instant.secondsSinceEpoch)
        return count > 0 ? transition(at: count - 1) : nil
    }

    /// Where the wall-clock reading `local` falls on the real time line. O(log n), no allocation.
    ///
    /// The interval `[T(k), T(k+1))` with offset `o(k)` shows the readings `[T(k)+o(k), T(k+1)+o(k))`,
    /// so `local` occurs in interval k exactly when `local - o(k)` lies inside it. Only intervals
    /// overlapping `[local - maximumOffset, local - minimumOffset]` can qualify; we check those in
    /// time order. None qualifying means `local` lies in a gap: the transition with
    /// `T+before <= local < T+after`.
    ///
    /// - Important: readings whose instant would fall outside `Instant`'s range (years 1678–2262)
    ///   are clamped to the range's ends.
    public func resolve(_ local: CivilDateTime) -> LocalTimeResolution {
        let localSeconds = local.localSecondsSinceEpoch
        let nanosecond = Int64(local.nanosecond)
        let count = transitionTimes.count
        // Intervals are numbered by their starting transition count: interval c starts at
        // transition c-1 (c = 0 is the open interval before the first transition).
        let firstInterval = transitionCount(atOrBefore: localSeconds &- maximumOffset)
        let lastInterval = transitionCount(atOrBefore: localSeconds &- minimumOffset)
        var first: Instant?
        var second: Instant?
        var interval = firstInterval
        while interval <= lastInterval {
            let offset = Int64(offset(afterCount: interval).seconds)
            let seconds = localSeconds &- offset
            let startsAfter = interval == 0 || transitionTimes[interval - 1] <= seconds
            let endsAfter = interval == count || seconds < transitionTimes[interval]
            if startsAfter && endsAfter {
                let instant = Self.clampedInstant(seconds: seconds, nanosecond: nanosecond)
                if first == nil { first = instant } else { second = instant }
            }
            interval += 1
        }
        if let first {
            guard let second else { return .unique(first) }
            return .repeated(first: first, second: second)
        }
        // A gap: the reading lies between the transition as read on the old and the new offset.
        var index = max(firstInterval - 1, 0)
        while index < min(lastInterval + 1, count) {
            let time = transitionTimes[index]
            let before = Int64(offset(afterCount: index).seconds)
            let after = Int64(offsetsAfter[index].seconds)
            if time &+ before <= localSeconds && localSeconds < time &+ after {
                return .skipped(transition(at: index))
            }
            index += 1
        }
        // Unreachable for a consistent table; answer with the reading under the offset in force at
        // its naive instant rather than trapping.
        let fallbackOffset = Int64(offset(afterCount: transitionCount(atOrBefore: localSeconds)).seconds)
        return .unique(Self.clampedInstant(seconds: localSeconds &- fallbackOffset, nanosecond: nanosecond))
    }

    /// `seconds` and `nanosecond` as an instant, saturating at `Instant`'s range instead of
    /// trapping.
    private static func clampedInstant(seconds: Int64, nanosecond: Int64) -> Instant {
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return Instant(nanosecondsSinceEpoch: seconds < 0 ? Int64.min : Int64.max) }
        let (total, overflow2) = scaled.addingReportingOverflow(nanosecond)
        if overflow2 { return Instant(nanosecondsSinceEpoch: Int64.max) }
        return Instant(nanosecondsSinceEpoch: total)
    }
}

/// Why a zone could not be loaded.
public struct ZoneError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// No file for the name in any searched folder, or a name we refuse to look up (absolute,
        /// containing `..`, empty).
        case unknownZone
        /// The file exists but is not valid TZif data.
        case invalidData
    }

    public var code: Code
    /// The zone name as given.
    public var zone: String
    /// Where we looked (folders or the file).
    public var searched: [String]
    /// Detail for `invalidData`, or why a name was refused.
    public var detail: String?

    public init(code: Code, zone: String, searched: [String], detail: String? = nil) {
        self.code = code
        self.zone = zone
        self.searched = searched
        self.detail = detail
    }

    public var description: String {
        switch code {
        case .unknownZone:
            if let detail { return "unknown time zone '\(zone)': \(detail)" }
            return "unknown time zone '\(zone)' (looked in \(searched.joined(separator: ", ")))"
        case .invalidData:
            return
                "time zone '\(zone)' has invalid data in \(searched.joined(separator: ", "))\(detail.map { ": \($0)" } ?? "")"
        }
    }
}
