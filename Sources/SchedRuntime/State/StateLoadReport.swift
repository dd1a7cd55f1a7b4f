public import SchedCore

/// What opening the state store found, for the daemon's start-up log.
public struct StateLoadReport: Sendable {
    /// A damaged or unreadable state file and what was done about it.
    public struct Problem: Hashable, Sendable {
        public var file: String
        /// Where the file (or a copy of it) was moved; nil when only a torn tail was cut off.
        public var movedTo: String?
        public var message: String
    }

    public var problems: [Problem] = []
    /// Runs that were started but never finished: recorded as `interrupted` at this load.
    public var interrupted: [RunRecord] = []
    /// Jobs with stored state or history (including removed ones still kept).
    public var jobs = 0
    /// History records loaded.
    public var records = 0
    /// Journal frames replayed on top of the snapshot.
    public var journalFrames = 0
}
