import Glibc
import Testing

@testable import SchedRuntime

@Suite("Platform")
struct PlatformTests {
    @Test("Errno describes itself with the system message")
    func errnoDescription() {
        #expect(Errno.noSuchFileOrDirectory.description == "No such file or directory")
        #expect(Errno.permissionDenied.description == "Permission denied")
    }

    @Test("pipes are close-on-exec")
    func pipeIsCloseOnExec() throws {
        let pipe = try FileDescriptor.makePipe()
        defer {
            pipe.read.close()
            pipe.write.close()
        }
        #expect(fcntl(pipe.read.rawValue, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(pipe.write.rawValue, F_GETFD) & FD_CLOEXEC != 0)
    }

    @Test("reading an empty non-blocking pipe throws wouldBlock; a closed one reads EOF")
    func nonBlockingRead() throws {
        let pipe = try FileDescriptor.makePipe()
        defer { pipe.read.close() }
        try pipe.read.setNonBlocking()
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(throws: Errno.wouldBlock) {
            _ = try buffer.withUnsafeMutableBytes { try pipe.read.read(into: $0) }
        }
        try pipe.write.writeAll("ok")
        pipe.write.close()
        #expect(try buffer.withUnsafeMutableBytes { try pipe.read.read(into: $0) } == 2)
        #expect(try buffer.withUnsafeMutableBytes { try pipe.read.read(into: $0) } == 0)
    }

    @Test("peer credentials name this process on a socket pair")
    func peerCredentials() throws {
        var fds: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0)
        defer {
            close(fds[0])
            close(fds[1])
        }
        let credentials = try FileDescriptor(rawValue: fds[0]).peerCredentials()
        #expect(credentials.processID == ProcessEnvironment.processID)
        #expect(credentials.userID == getuid())
        #expect(credentials.groupID == getgid())
    }

    @Test("looks up users and groups by name")
    func userLookup() throws {
        let root = try #require(try UserAccount.named("root"))
        #expect(root.userID == 0)
        #expect(root.groupID == 0)
        #expect(root.homeDirectory == "/root")
        #expect(!root.shell.isEmpty)
        #expect(root.groupList().contains(0))
        #expect(try UserAccount.named("no-such-user-schedd") == nil)
        #expect(try GroupDatabase.groupID(named: "root") == 0)
        #expect(try GroupDatabase.groupID(named: "no-such-group-schedd") == nil)
    }

    @Test("PATH search uses the job's PATH, and paths with a slash are used as they are")
    func executableCandidates() {
        #expect(Launcher.executableCandidates(for: "/bin/true", environment: ["PATH=/x"]) == ["/bin/true"])
        #expect(Launcher.executableCandidates(for: "tool", environment: ["PATH=/a:/b"]) == ["/a/tool", "/b/tool"])
        #expect(
            Launcher.executableCandidates(for: "tool", environment: ["PATH=/a::/b"]) == [
                "/a/tool", "./tool", "/b/tool",
            ]
        )
        #expect(Launcher.executableCandidates(for: "tool", environment: []).first == "/usr/local/sbin/tool")
    }
}
