import Glibc

/// The identity the daemon itself runs as.
public enum CurrentUser {
    /// True when the effective uid is 0: only then may jobs switch to another `user`/`group`.
    public static var isRoot: Bool { geteuid() == 0 }

    /// The effective uid.
    public static var userID: UInt32 { geteuid() }

    /// The password-database entry of the effective uid (`getpwuid_r`), or nil when there is none
    /// (a uid without an entry, as in some containers) or the lookup failed.
    public static func account() -> UserAccount? {
        let uid = geteuid()
        var bufferSize = 1024
        while true {
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bufferSize)
            defer { buffer.deallocate() }
            let status = getpwuid_r(uid, &entry, buffer, bufferSize, &result)
            if status == ERANGE, bufferSize < 1 << 20 {
                bufferSize *= 4
                continue
            }
            guard status == 0, result != nil else { return nil }
            return UserAccount(
                name: String(cString: entry.pw_name),
                userID: entry.pw_uid,
                groupID: entry.pw_gid,
                homeDirectory: String(cString: entry.pw_dir),
                shell: String(cString: entry.pw_shell)
            )
        }
    }
}
