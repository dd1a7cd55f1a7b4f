import Glibc

extension UserAccount {
    /// Looks uid `userID` up with the re-entrant `getpwuid_r` (the control server's group check).
    /// Returns nil when no user has that uid; throws when the lookup itself failed.
    public static func withID(_ userID: UInt32) throws(Errno) -> UserAccount? {
        var bufferSize = 1024
        while true {
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bufferSize)
            defer { buffer.deallocate() }
            let status = getpwuid_r(userID, &entry, buffer, bufferSize, &result)
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
}
