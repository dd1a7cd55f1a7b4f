public import SchedTime

/// How the DST policy changed a firing, so tools can explain it.
public enum DSTAdjustment: Hashable, Sendable {
    /// The matched wall-clock time `local` did not exist; the firing moved to the end of the gap.
    case shiftedOutOfGap(local: CivilDateTime)
    /// The matched wall-clock time `local` occurs twice that day; only this first one fires.
    case firstOfRepeated(local: CivilDateTime)
}

extension DSTAdjustment {
    /// A sentence for people, e.g. `02:30 does not exist on this day; shifted to the end of the DST
    /// gap`. The reading is `HH:MM`, with `:SS` when the seconds are not zero.
    public var explanation: String {
        switch self {
        case .shiftedOutOfGap(let local):
            "\(DSTAdjustment.clockText(local)) does not exist on this day; shifted to the end of the DST gap"
        case .firstOfRepeated(let local):
            "\(DSTAdjustment.clockText(local)) occurs twice on this day; fires only at the first occurrence"
        }
    }

    private static func clockText(_ local: CivilDateTime) -> String {
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let text = "\(twoDigits(local.hour)):\(twoDigits(local.minute))"
        return local.second == 0 ? text : text + ":\(twoDigits(local.second))"
    }
}
