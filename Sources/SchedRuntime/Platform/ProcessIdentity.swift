/// The identity a job runs as: user, primary group and supplementary groups (ids already resolved).
public struct ProcessIdentity: Hashable, Sendable {
    /// The uid for `setuid`.
    public var userID: UInt32
    /// The primary gid for `setgid`.
    public var groupID: UInt32
    /// Supplementary groups for `setgroups`, normally from `UserAccount.groupList`.
    public var supplementaryGroups: [UInt32]

    public init(userID: UInt32, groupID: UInt32, supplementaryGroups: [UInt32]) {
        self.userID = userID
        self.groupID = groupID
        self.supplementaryGroups = supplementaryGroups
    }
}
