import Glibc

/// A user from the password database (`getpwnam_r`), with what a job's environment needs.
public struct UserAccount: Hashable, Sendable {
    /// The login name (`USER`, `LOGNAME`).
    public var name: String
    /// The uid.
    public var userID: UInt32
    /// The primary group.
    public var groupID: UInt32
    /// `HOME` for the job.
    public var homeDirectory: String
    /// `SHELL` for the job.
    public var shell: String

    /// Looks `name` up with the re-entrant `getpwnam_r`. Returns nil when there is no such user;
    /// throws when the lookup itself failed (NSS error, EIO, …).
    public static func named(_ name: String) throws(Errno) -> UserAccount? {
        var bufferSize = 1024
        while true {
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bufferSize)
            defer { buffer.deallocate() }
            let status = getpwnam_r(name, &entry, buffer, bufferSize, &result)
            if status == ERANGE, bufferSize < 1 << 20 {
                bufferSize *= 4
                continue
            }
            if status != 0 { throw Errno(rawValue: status) }
            guard result != nil else { return nil }
            return UserAccount(
                name: String(cString: entry.pw_name),
                userID: entry.pw_uid,
                groupID: entry.pw_gid,
                homeDirectory: String(cString: entry.pw_dir),
                shell: String(cString: entry.pw_shell)
            )
        }
    }

    /// The user's groups including the primary one (`getgrouplist`), computed before fork since NSS is
    /// not async-signal-safe.
    public func groupList() -> [UInt32] {
        var count: Int32 = 32
        while true {
            var groups = [gid_t](repeating: 0, count: Int(count))
            let previous = count
            if getgrouplist(name, groupID, &groups, &count) >= 0 {
                return Array(groups.prefix(Int(count)))
            }
            // -1: `count` now holds the number needed (glibc); grow at least twofold to be safe.
            count = max(count, previous * 2)
            if count > 65536 { return [groupID] }
        }
    }

    /// The identity to run a job as this user, with all its groups.
    public func identity() -> ProcessIdentity {
        ProcessIdentity(userID: userID, groupID: groupID, supplementaryGroups: groupList())
    }
}
