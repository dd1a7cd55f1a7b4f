// API skeleton (to be completed by the TZif work): the public surface below is fixed; the
// representation and lookups may change.

/// A time zone: the rules that map real instants to wall-clock readings and back.
///
/// Zones are immutable values loaded once and cached (`Zone.named(_:)`); every lookup is
/// allocation-free.
public final class Zone: Sendable, Hashable, CustomStringConvertible {
    /// The name the zone was asked for (`Europe/Berlin`, `UTC`, `+05:30`).
    public let identifier: String
    /// Offset in force before the first transition (or always, for a fixed zone).
    let initialOffset: UTCOffset
    /// Transition instants in seconds since the epoch, strictly increasing.
    let transitionTimes: [Int64]
    /// `offsetsAfter[i]` is in force from `transitionTimes[i]` until the next transition.
    let offsetsAfter: [UTCOffset]

    init(identifier: String, initialOffset: UTCOffset, transitionTimes: [Int64] = [], offsetsAfter: [UTCOffset] = []) {
        precondition(transitionTimes.count == offsetsAfter.count, "one offset per transition")
        self.identifier = identifier
        self.initialOffset = initialOffset
        self.transitionTimes = transitionTimes
        self.offsetsAfter = offsetsAfter
    }

    public static let utc = Zone(identifier: "UTC", initialOffset: .zero)

    /// A zone that is always `offset` from UTC.
    public static func fixed(_ offset: UTCOffset) -> Zone {
        Zone(identifier: offset.description, initialOffset: offset)
    }

    public var description: String { identifier }

    public static func == (lhs: Zone, rhs: Zone) -> Bool { lhs === rhs || lhs.identifier == rhs.identifier }

    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

    // MARK: - Lookups

    /// The UTC offset in force at `instant`.
    public func offset(at instant: Instant) -> UTCOffset {
        let seconds = instant.secondsSinceEpoch
        // Index of the last transition at or before `seconds`.
        var low = 0
        var high = transitionTimes.count
        while low < high {
            let mid = (low + high) / 2
            if transitionTimes[mid] <= seconds { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? initialOffset : offsetsAfter[low - 1]
    }

    /// The wall-clock reading at `instant`.
    public func localTime(at instant: Instant) -> CivilDateTime {
        let offset = Int64(offset(at: instant).seconds)
        return CivilDateTime(
            localSecondsSinceEpoch: instant.secondsSinceEpoch + offset,
            nanosecond: Int(instant.nanosecondOfSecond)
        )
    }

    /// The first transition strictly after `instant`, or nil when the zone never changes again.
    public func nextTransition(after instant: Instant) -> ZoneTransition? {
        let seconds = instant.secondsSinceEpoch
        guard let index = transitionTimes.firstIndex(where: { $0 > seconds }) else { return nil }
        let before = index == 0 ? initialOffset : offsetsAfter[index - 1]
        return ZoneTransition(
            instant: Instant(secondsSinceEpoch: transitionTimes[index]),
            offsetBefore: before,
            offsetAfter: offsetsAfter[index]
        )
    }

    /// The last transition at or before `instant`, or nil when there is none.
    public func previousTransition(atOrBefore instant: Instant) -> ZoneTransition? {
        let seconds = instant.secondsSinceEpoch
        guard let index = transitionTimes.lastIndex(where: { $0 <= seconds }) else { return nil }
        let before = index == 0 ? initialOffset : offsetsAfter[index - 1]
        return ZoneTransition(
            instant: Instant(secondsSinceEpoch: transitionTimes[index]),
            offsetBefore: before,
            offsetAfter: offsetsAfter[index]
        )
    }

    /// Where the wall-clock reading `local` falls on the real time line.
    public func resolve(_ local: CivilDateTime) -> LocalTimeResolution {
        let localSeconds = local.localSecondsSinceEpoch
        let nanos = Int64(local.nanosecond)
        func instant(_ offset: UTCOffset) -> Instant {
            Instant(nanosecondsSinceEpoch: (localSeconds - Int64(offset.seconds)) * 1_000_000_000 + nanos)
        }
        // Candidate instants under each offset adjacent to the reading; the skeleton checks the
        // offsets in force around the naive guess.
        let guess = instant(offset(at: Instant(secondsSinceEpoch: localSeconds)))
        var candidates: [Instant] = []
        for probe in [guess - .seconds(86_400), guess, guess + .seconds(86_400)] {
            let candidate = instant(offset(at: probe))
            if localTime(at: candidate) == local && !candidates.contains(candidate) { candidates.append(candidate) }
        }
        candidates.sort()
        if candidates.count == 1 { return .unique(candidates[0]) }
        if candidates.count >= 2 { return .repeated(first: candidates[0], second: candidates[candidates.count - 1]) }
        let transition = nextTransition(after: instant(offset(at: guess)) - .seconds(86_400))!
        return .skipped(transition)
    }
}

/// Why a zone could not be loaded.
public struct ZoneError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// No file for the name in any searched folder.
        case unknownZone
        /// The file exists but is not valid TZif data.
        case invalidData
    }

    public var code: Code
    /// The zone name as given.
    public var zone: String
    /// Where we looked (folders or the file).
    public var searched: [String]
    /// Detail for `invalidData`.
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
            return "unknown time zone '\(zone)' (looked in \(searched.joined(separator: ", ")))"
        case .invalidData:
            return
                "time zone '\(zone)' has invalid data in \(searched.joined(separator: ", "))\(detail.map { ": \($0)" } ?? "")"
        }
    }
}
