import Glibc

/// Path-level calls on folders and names: create, rename, remove, make a rename durable.
public enum Directory {
    /// Creates `path` and its missing parents with `mode` (`mkdir -p`). An existing folder is fine.
    public static func create(_ path: String, mode: UInt32 = 0o700) throws(Errno) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, mode_t(mode)) != 0, errno != EEXIST { throw Errno.current }
            prefix += "/"
        }
        var info = stat()
        _ = try valueOrErrno(stat(path, &info))
        guard info.st_mode & S_IFMT == S_IFDIR else { throw Errno(rawValue: ENOTDIR) }
    }

    /// Renames `source` to `destination` atomically, replacing it (`rename`).
    public static func rename(_ source: String, to destination: String) throws(Errno) {
        _ = try valueOrErrno(Glibc.rename(source, destination))
    }

    /// Removes the file `path` (`unlink`); a missing file is fine.
    public static func removeFile(_ path: String) throws(Errno) {
        if unlink(path) != 0, errno != ENOENT { throw Errno.current }
    }

    /// True when `path` names an existing file or folder.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Flushes the folder's entries to the disk so a rename or a new file in it survives a crash
    /// (`open(O_DIRECTORY)` + `fsync`).
    public static func sync(_ path: String) throws(Errno) {
        let fd = try retryOnInterrupt { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(fd) }
        _ = try retryOnInterrupt { fsync(fd) }
    }
}
