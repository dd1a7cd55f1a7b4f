import Glibc

/// Replaces a file's contents atomically: readers see the old file or the new one, never a mix.
///
/// Steps, each before the next for a reason:
/// 1. write a temporary file in the *same* directory (rename is only atomic within one file system);
///    its name starts with `.` and ends in `.tmp`, so globs like node_exporter's `*.prom` never pick it up;
/// 2. `fchmod` to `mode` (the umask must not decide who may read it);
/// 3. `fsync` it, so the data is on disk before the name points at it (after a crash the new name never
///    refers to an empty file);
/// 4. `rename` over the target;
/// 5. `fsync` the directory, so the rename itself survives a crash.
/// On any failure the temporary file is removed and the old file is left as it was.
enum FileReplacement {
    static func replace(_ path: String, with contents: String, mode: mode_t) throws(Errno) {
        let directory = Self.directory(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = "\(directory)/.\(name).\(getpid()).tmp"
        let fd = try retryOnInterrupt { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode) }
        let file = FileDescriptor(rawValue: fd)
        do throws(Errno) {
            try file.writeAll(contents)
            _ = try valueOrErrno(fchmod(fd, mode))
            _ = try retryOnInterrupt { fsync(fd) }
            file.close()
        } catch {
            file.close()
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = Errno.current
            unlink(temporary)
            throw error
        }
        // The rename is done; a failing directory fsync only weakens crash durability, not atomicity.
        if let directoryFD = try? retryOnInterrupt({ open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }) {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// The directory part of `path` (`.` for a bare name, `/` for a file at the root).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
