// Design note — SchedCron
//
// A `CronExpression` is parsed once into a `CronSchedule`: one bitset per time field (seconds and
// minutes in a `UInt64`, hours in a `UInt32`, months in a `UInt16`) plus a table of 28 day masks,
// one per (days in month 28…31) × (weekday of the 1st), which folds the whole day-of-month /
// day-of-week logic — lists, `L`, `L-n`, `nW`, `LW`, `nL`, `n#k` and Vixie cron's OR-vs-AND rule —
// into a single 31-bit lookup per month. Every extension depends only on those two facts about a
// month, so the table is exact.
//
// `next(after:in:policy:)` works in local civil time inside *segments* of constant UTC offset
// (between two zone transitions). Inside a segment the first matching wall-clock reading is found
// by a field-increment search that jumps to the next set bit of each field (month → day → hour →
// minute → second), so a call costs a handful of bit operations plus one days-from-civil
// conversion per month visited. When the match would lie past the segment's end, the transition
// decides: a spring-forward gap may shift the firing to the transition instant (policy `.shift`),
// a fall-back fold may hide second occurrences (policy `.first`), and the search continues in the
// next segment. Invariants: results are whole seconds, strictly after the argument, and successive
// calls never return the same instant twice. Expressions that cannot match any realisable month
// (`0 0 30 2 *`) are recognised at parse time; any other search gives up after 100 local years.

import SchedTime

/// A parsed cron expression.
///
/// Grammar (see ARCHITECTURE.md, "Cron semantics"): an optional `CRON_TZ=Zone ` or `TZ=Zone `
/// prefix, then a macro (`@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
/// `@hourly`, `@reboot`) or 5 fields `minute hour day-of-month month day-of-week`, or 6 with a
/// leading `second` field. A 5-field expression fires at second 0.
public struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    /// The text as given, including any `CRON_TZ=` prefix.
    public let source: String
    /// The zone named by a `CRON_TZ=` / `TZ=` prefix, if any (not loaded: the caller resolves it).
    public let zoneName: String?
    /// True for `@reboot`, which has no fire times: it fires once when the daemon starts.
    public let isReboot: Bool
    /// True when neither the minute nor the hour field starts with `*` (see ARCHITECTURE.md).
    ///
    /// Macros count as their expansion: `@daily` is fixed-time, `@hourly` (`0 * * * *`) is not.
    public let isFixedTime: Bool
    /// A normalised spelling that parses back to the same schedule: macros expanded, names turned
    /// into numbers, `H` replaced by its resolved value, single spaces. `@reboot` stays `@reboot`.
    public let canonicalDescription: String
    /// True when the expression can never match any real date (`0 0 30 2 *`), known at parse time.
    public var neverFires: Bool { !isReboot && schedule.neverFires }
    /// The matching tables.
    let schedule: CronSchedule

    /// Parses `text`. `hashSeed` (usually the job id) gives `H` fields their stable value; without
    /// it, `H` is an error.
    ///
    /// - Throws: `CronParseError` naming the problem and its column in `text`.
    public init(parsing text: String, hashSeed: String? = nil) throws(CronParseError) {
        let parser = CronParser(text: text, hashSeed: hashSeed)
        let parsed = try parser.parse()
        source = text
        zoneName = parsed.zoneName
        isReboot = parsed.isReboot
        isFixedTime = parsed.isFixedTime
        canonicalDescription = parsed.canonical
        schedule = parsed.schedule
    }

    /// `DSTPolicy.fixedTime` for fixed-time expressions, `DSTPolicy.wallClock` otherwise.
    public var defaultDSTPolicy: DSTPolicy { isFixedTime ? .fixedTime : .wallClock }

    /// The text as given.
    public var description: String { source }
}
