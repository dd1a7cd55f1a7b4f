/// The flattened transition list a `Zone` searches: built once at load time, then frozen.
///
/// Invariants kept by `append` and `extend`: `times` is strictly increasing, every time lies in
/// `Instant`'s range (so `Instant(secondsSinceEpoch:)` never traps), and consecutive offsets differ
/// (each entry is a real change of UTC offset).
struct ZoneTable: Hashable, Sendable {
    /// Offset in force before `times[0]` (or always, when `times` is empty).
    var initialOffset: UTCOffset
    /// Transition instants, seconds since the epoch.
    var times: [Int64] = []
    /// `offsets[i]` applies from `times[i]` until `times[i + 1]`.
    var offsets: [UTCOffset] = []

    /// Whole seconds representable as an `Instant` (about 1677-09-21 … 2262-04-11).
    static let secondsRange: ClosedRange<Int64> = (Int64.min / 1_000_000_000 + 1)...(Int64.max / 1_000_000_000)

    /// The last year whose rule transitions can fall inside `secondsRange`.
    static let lastExpandedYear = 2262

    init(initialOffset: UTCOffset) {
        self.initialOffset = initialOffset
    }

    /// The offset in force after every listed transition.
    var finalOffset: UTCOffset { offsets.last ?? initialOffset }

    /// Adds a transition to `offset` at `time`, which must not precede the last one.
    ///
    /// A transition at the same second as the last one replaces it (a rule's "end of DST" and
    /// the next year's "start" can coincide for year-round DST); a transition that changes nothing
    /// is dropped; times before `Instant`'s range become the initial offset and times after it are
    /// ignored.
    mutating func append(time: Int64, offset seconds: Int32) {
        let offset = UTCOffset(seconds: seconds)
        if time < Self.secondsRange.lowerBound {
            initialOffset = offset
            return
        }
        guard time <= Self.secondsRange.upperBound else { return }
        if let last = times.last {
            guard time >= last else { return }
            if time == last {
                times.removeLast()
                offsets.removeLast()
            }
        }
        guard offset != finalOffset else { return }
        times.append(time)
        offsets.append(offset)
    }

    /// Expands `rule` into explicit transitions after `lastTime` (or from 1900 when the file has
    /// none) through `lastExpandedYear`.
    ///
    /// About two entries per year: at most ~500 for a zone whose rules stop changing in 2026,
    /// roughly 8 KB, in exchange for lookups that are one binary search for every date.
    mutating func extend(with rule: POSIXTimeZoneRule, after lastTime: Int64?) {
        guard rule.hasDaylightSaving else { return }
        let firstYear: Int
        if let lastTime {
            // Start one year early: a southern-hemisphere rule's first change after `lastTime`
            // can belong to the rule year before.
            firstYear = CivilDateTime(localSecondsSinceEpoch: lastTime).year - 1
        } else {
            firstYear = 1900
        }
        let after = lastTime ?? Int64.min
        guard firstYear <= Self.lastExpandedYear else { return }
        times.reserveCapacity(times.count + 2 * (Self.lastExpandedYear - firstYear + 1))
        offsets.reserveCapacity(times.capacity)
        for year in firstYear...Self.lastExpandedYear {
            guard let (start, end) = rule.changes(inYear: year) else { return }
            let ordered = start.0 <= end.0 ? [start, end] : [end, start]
            for (time, offset) in ordered where time > after {
                append(time: time, offset: offset)
            }
        }
    }
}
