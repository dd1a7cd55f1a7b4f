import Glibc
public import SchedCore

/// The real file system for `ConfigLoader`: plain `open`/`read` and `opendir`/`readdir`, retried
/// on EINTR, with `strerror` text as the error message.
public struct LocalConfigFileSystem: ConfigFileSystem {
    public init() {}

    /// Refuse files larger than this: no schedule is 64 MB, and it bounds memory on a wrong path.
    public static let maximumFileSize = 64 << 20

    public func readFile(atPath path: String) throws(ConfigFileError) -> [UInt8] {
        var descriptor: Int32
        repeat { descriptor = open(path, O_RDONLY | O_CLOEXEC) } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else { throw LocalConfigFileSystem.lastError() }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LocalConfigFileSystem.lastError()
            }
            if count == 0 { return bytes }
            bytes += buffer[..<count]
            if bytes.count > LocalConfigFileSystem.maximumFileSize {
                throw ConfigFileError("file is larger than \(LocalConfigFileSystem.maximumFileSize >> 20) MB")
            }
        }
    }

    public func contentsOfDirectory(atPath path: String) throws(ConfigFileError) -> [String] {
        guard let directory = opendir(path) else { throw LocalConfigFileSystem.lastError() }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func lastError() -> ConfigFileError {
        ConfigFileError(String(cString: strerror(errno)))
    }
}
