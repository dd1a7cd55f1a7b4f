/// A failure of the state store that the daemon should log: the state folder cannot be created or
/// written. A *corrupt* file is not an error: it is moved aside with a warning and loading goes on.
public struct StateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the store was doing.
    public enum Code: String, Hashable, Sendable {
        /// Creating or opening `state_dir`.
        case openDirectory
        /// Appending to the journal or syncing it.
        case writeJournal
        /// Writing, syncing or renaming a snapshot.
        case writeSnapshot
    }

    public var code: Code
    /// The file or folder involved.
    public var path: String
    /// The system call's error.
    public var underlying: Errno?

    public init(code: Code, path: String, underlying: Errno? = nil) {
        self.code = code
        self.path = path
        self.underlying = underlying
    }

    public var description: String {
        let what: String
        switch code {
        case .openDirectory: what = "cannot open state directory"
        case .writeJournal: what = "cannot write state journal"
        case .writeSnapshot: what = "cannot write state snapshot"
        }
        guard let underlying else { return "\(what) \(path)" }
        return "\(what) \(path): \(underlying)"
    }
}
