/// A process id (`pid_t`).
public struct ProcessID: Hashable, Sendable, CustomStringConvertible {
    /// The kernel's pid number.
    public var rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    public var description: String { "\(rawValue)" }
}
