/// Identifies one run of a job: one attempt of one firing, or one recorded skipped/missed firing.
///
/// A plain counter, unique within one core. The daemon seeds the counter (`SchedulerCore`'s
/// `firstRunNumber`) so ids stay unique across restarts; the pair (job id, scheduled instant) that
/// a fired-once ledger needs travels beside the id in every `RunRequest` and `RunRecord`.
public struct RunID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The decimal number, as `SCHEDD_RUN_ID` and `schedctl run-now` show it.
    public var description: String { String(rawValue) }
}
