import SchedCore
import SchedTime
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The repository's example `schedules.toml` must stay valid.
@Suite struct ExampleConfigTests {
    /// `<repo>/schedules.toml`, found from this file's path: Tests/SchedCoreTests/Config/….
    static let examplePath: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/") + "/schedules.toml"
    }()

    /// Reads files with stdio (tests cannot import schedctl's adapter).
    struct DiskFileSystem: ConfigFileSystem {
        func readFile(atPath path: String) throws(ConfigFileError) -> [UInt8] {
            guard let file = fopen(path, "rb") else { throw ConfigFileError("cannot open") }
            defer { fclose(file) }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = fread(&buffer, 1, buffer.count, file)
                guard count > 0 else { break }
                bytes += buffer[..<count]
            }
            return bytes
        }

        func contentsOfDirectory(atPath path: String) throws(ConfigFileError) -> [String] {
            throw ConfigFileError("not supported in this test")
        }
    }

    @Test("the example schedules.toml validates with its three jobs")
    func exampleValidates() throws {
        let loader = ConfigLoader(fileSystem: DiskFileSystem(), systemZone: .utc)
        let result = loader.load(path: ExampleConfigTests.examplePath, now: ConfigFixture.now)
        let config = try #require(result.config, "\(result.diagnostics.map(\.description))")
        #expect(result.errors.isEmpty && result.warnings.isEmpty)
        #expect(config.jobs.map(\.id) == ["cleanup_expired_data", "aggregate_hourly_stats", "check_external_services"])
        let cleanup = try #require(config.job("cleanup_expired_data"))
        #expect(cleanup.nextFire(after: ConfigFixture.now) == ConfigFixture.instant("2026-11-28T23:00:00Z"))
        let check = try #require(config.job("check_external_services"))
        #expect(check.retry.attempts == 3)
        guard case .http(let http) = check.action else {
            Issue.record("check_external_services is not an http check")
            return
        }
        #expect(http.url == "https://api.example.com/health")
    }
}
