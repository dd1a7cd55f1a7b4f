/// Who may make mutating requests (run-now, pause, resume, reload): root, the daemon's own uid, and
/// members of `socket_group` (by primary group or supplementary membership). Read-only requests are
/// open to anyone who can connect; the socket's mode and group decide who can.
public struct ControlAuthorization: Sendable {
    /// The daemon's effective uid.
    public var daemonUserID: UInt32
    /// `socket_group`'s gid, when configured.
    public var groupID: UInt32?
    /// Whether uid is a member of gid (supplementary groups); injectable for tests.
    public var isMember: @Sendable (_ userID: UInt32, _ groupID: UInt32) -> Bool

    public init(
        daemonUserID: UInt32,
        groupID: UInt32? = nil,
        isMember: @escaping @Sendable (_ userID: UInt32, _ groupID: UInt32) -> Bool = Self.groupDatabaseMembership
    ) {
        self.daemonUserID = daemonUserID
        self.groupID = groupID
        self.isMember = isMember
    }

    /// Whether `peer` may make mutating requests.
    public func allowsMutation(by peer: PeerCredentials) -> Bool {
        if peer.userID == 0 || peer.userID == daemonUserID { return true }
        guard let groupID else { return false }
        return peer.groupID == groupID || isMember(peer.userID, groupID)
    }

    /// Membership from the user and group databases (`getpwuid_r` + `getgrouplist`). `SO_PEERCRED`
    /// carries only the primary gid, so supplementary groups come from the databases; a lookup
    /// failure denies.
    @Sendable public static func groupDatabaseMembership(userID: UInt32, groupID: UInt32) -> Bool {
        guard let account = try? UserAccount.withID(userID) else { return false }
        return account.groupList().contains(groupID)
    }
}
