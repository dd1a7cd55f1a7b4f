import Glibc

/// A group from the group database (`getgrnam_r`).
public enum GroupDatabase {
    /// The id of group `name`, nil when there is none; throws when the lookup failed.
    public static func groupID(named name: String) throws(Errno) -> UInt32? {
        var bufferSize = 1024
        while true {
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bufferSize)
            defer { buffer.deallocate() }
            let status = getgrnam_r(name, &entry, buffer, bufferSize, &result)
            if status == ERANGE, bufferSize < 1 << 20 {
                bufferSize *= 4
                continue
            }
            if status != 0 { throw Errno(rawValue: status) }
            return result == nil ? nil : entry.gr_gid
        }
    }
}
