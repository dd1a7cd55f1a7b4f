import Glibc

extension FileDescriptor {
    /// `F_GETPIPE_SZ` (Linux, `_GNU_SOURCE`; not exported by the Glibc module): a pipe's capacity in bytes.
    private static let getPipeSize: Int32 = 1032

    /// The read end of a close-on-exec pipe that already holds `bytes` followed by end of file: a child's
    /// stdin prepared without any writing after the launch.
    ///
    /// At most the pipe's capacity fits (64 KiB by default; less when the user's pipe quota is spent), so
    /// longer input keeps its *last* bytes, the freshest part of an output tail.
    static func pipeHolding(_ bytes: [UInt8]) throws(Errno) -> FileDescriptor {
        let pipe = try makePipe()
        defer { pipe.write.close() }
        do throws(Errno) {
            try pipe.write.setNonBlocking()
            let capacity = Int(max(0, fcntl(pipe.write.rawValue, getPipeSize)))
            let start = bytes.count > capacity ? bytes.count - capacity : 0
            var offset = start
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes {
                    Glibc.write(pipe.write.rawValue, $0.baseAddress, $0.count)
                }
                if written > 0 {
                    offset += written
                    continue
                }
                let error = Errno.current
                if error == .interrupted { continue }
                // Full after all (a smaller pipe than reported): the child gets what fitted.
                if error == .wouldBlock { break }
                throw error
            }
        } catch {
            pipe.read.close()
            throw error
        }
        return pipe.read
    }
}
