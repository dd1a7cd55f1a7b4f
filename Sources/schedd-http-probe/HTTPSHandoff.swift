import Glibc
import SchedCore

/// Hands an `https://` check to `schedd-https-probe`, installed beside this executable.
enum HTTPSHandoff {
    static let programName = "schedd-https-probe"

    /// Replaces this process with the HTTPS probe, same arguments and environment; reports an `io`
    /// failure when it cannot be started.
    static func exec(arguments: [String]) -> Never {
        let path = folderOfThisExecutable() + "/" + programName
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        let error = String(cString: strerror(errno))
        ProbeReporter.finish(with: .ioFailure("cannot run \(path): \(error)", latency: nil))
    }

    /// The folder of `/proc/self/exe` (the real file, whatever name or link started us).
    static func folderOfThisExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return "." }
        let path = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
