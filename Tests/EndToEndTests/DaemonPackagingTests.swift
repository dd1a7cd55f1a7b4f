import Foundation
import Testing

/// The shipped systemd unit and install script.
@Suite struct DaemonPackagingTests {
    static let hasSystemdAnalyze = FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")

    @Test("systemd-analyze verify accepts the unit (pointed at the built binary)", .enabled(if: hasSystemdAnalyze))
    func unitVerifies() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let unit = try String(contentsOfFile: Binaries.packageRoot + "/systemd/schedd.service", encoding: .utf8)
        #expect(unit.contains("Type=notify"))
        #expect(unit.contains("ExecReload=/bin/kill -HUP $MAINPID"))
        #expect(unit.contains("KillMode=mixed"))
        #expect(unit.contains("WatchdogSec="))
        let file = try folder.write(
            unit.replacingOccurrences(of: "/usr/local/bin/schedd", with: try Binaries.path("schedd")),
            to: "schedd.service"
        )
        let result = try runProgram("/usr/bin/systemd-analyze", ["verify", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test("install.sh honours DESTDIR and PREFIX, rewrites the unit, and never overwrites a config")
    func installScript() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = folder.path + "/root"
        let script = Binaries.packageRoot + "/scripts/install.sh"
        let environment = ["DESTDIR": root, "PREFIX": "/usr", "PATH": "/usr/bin:/bin"]
        let first = try runProgram(script, ["--no-build", "--bin-dir", Binaries.folder], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        for path in ["/usr/bin/schedd", "/usr/bin/schedctl"] {
            #expect(FileManager.default.isExecutableFile(atPath: root + path))
        }
        let unit = try String(contentsOfFile: root + "/etc/systemd/system/schedd.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/bin/schedd --config /etc/schedd/schedules.toml"))
        #expect(!unit.contains("/usr/local/bin"))
        let config = root + "/etc/schedd/schedules.toml"
        #expect(FileManager.default.fileExists(atPath: config))

        try "# mine\n".write(toFile: config, atomically: true, encoding: .utf8)
        let second = try runProgram(script, ["--no-build", "--bin-dir", Binaries.folder], environment: environment)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try String(contentsOfFile: config, encoding: .utf8) == "# mine\n")
        #expect(FileManager.default.fileExists(atPath: config + ".example"))
    }
}
