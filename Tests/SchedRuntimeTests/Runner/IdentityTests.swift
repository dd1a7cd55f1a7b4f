import Glibc
import Testing

@testable import SchedRuntime

/// Running jobs as another user needs root; these run only when the tests do.
@Suite("ProcessRunner identity", .hangGuard, .enabled(if: getuid() == 0, "needs root to change user"))
struct IdentityTests {
    @Test("a job runs with the requested uid, gid and supplementary groups")
    func runsAsUser() throws {
        let nobody = try #require(try UserAccount.named("nobody"))
        let identity = ProcessIdentity(
            userID: nobody.userID,
            groupID: nobody.groupID,
            supplementaryGroups: [nobody.groupID, 0]
        )
        let run = try runToCompletion(
            ProcessSpec(program: .shell("id -u; id -g; id -G"), environment: testEnvironment, identity: identity)
        )
        #expect(run.stdoutLines == ["\(nobody.userID)", "\(nobody.groupID)", "\(nobody.groupID) 0"])
    }

    @Test("the working directory is entered after dropping privileges")
    func chdirAfterDrop() throws {
        let nobody = try #require(try UserAccount.named("nobody"))
        let loop = try EventLoop()
        let runner = ProcessRunner(loop: loop)
        let spec = ProcessSpec(
            program: .arguments(["/bin/true"]),
            environment: testEnvironment,
            workingDirectory: "/root",  // mode 0700, owned by root
            identity: ProcessIdentity(userID: nobody.userID, groupID: nobody.groupID, supplementaryGroups: [])
        )
        let error = #expect(throws: SpawnError.self) {
            try runner.start(spec, onOutputLine: { _ in }, onExit: { _ in })
        }
        #expect(error?.description == "cannot change to working directory '/root': Permission denied")
    }
}
