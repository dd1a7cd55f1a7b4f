import Foundation
import TOML
import Testing

/// The toml-test suite's TOML 1.0 cases, read from `TOML_TEST_DIR`.
///
/// Without the variable these tests are skipped (and a message is printed); with it, a missing
/// folder is a failure. Failures list every failing case by name.
@Suite("toml-test conformance (TOML 1.0)")
struct ConformanceTests {
    /// The suite folder, failing the test when the variable points nowhere useful.
    private func suiteDirectory() throws -> String {
        let directory = try #require(TOMLTestSuite.directory)
        let list = directory + "/tests/files-toml-1.0.0"
        try #require(
            FileManager.default.fileExists(atPath: list),
            "TOML_TEST_DIR=\(directory) does not contain tests/files-toml-1.0.0"
        )
        return directory
    }

    @Test(
        "every valid case decodes to the expected tagged JSON",
        .enabled("TOML_TEST_DIR is not set; the toml-test suite is skipped") { TOMLTestSuite.isConfigured }
    )
    func validCases() throws {
        let directory = try suiteDirectory()
        let cases = try TOMLTestSuite.cases(in: directory).valid
        #expect(cases.count > 100)
        var failures: [String] = []
        for name in cases {
            let base = directory + "/tests/" + name
            do {
                let table = try TOMLDecoder.decode(try TOMLTestSuite.bytes(base + ".toml"))
                if let problem = TaggedJSON.mismatch(table, try TOMLTestSuite.expectedJSON(base + ".json")) {
                    failures.append("\(name): \(problem)")
                }
            } catch {
                failures.append("\(name): \(error)")
            }
        }
        #expect(
            failures.isEmpty,
            "\(failures.count) of \(cases.count) valid cases failed:\n\(failures.joined(separator: "\n"))"
        )
    }

    @Test(
        "every invalid case is rejected",
        .enabled("TOML_TEST_DIR is not set; the toml-test suite is skipped") { TOMLTestSuite.isConfigured }
    )
    func invalidCases() throws {
        let directory = try suiteDirectory()
        let cases = try TOMLTestSuite.cases(in: directory).invalid
        #expect(cases.count > 100)
        var accepted: [String] = []
        for name in cases {
            let bytes = try TOMLTestSuite.bytes(directory + "/tests/" + name + ".toml")
            if (try? TOMLDecoder.decode(bytes)) != nil { accepted.append(name) }
        }
        #expect(
            accepted.isEmpty,
            "\(accepted.count) of \(cases.count) invalid cases were accepted:\n\(accepted.joined(separator: "\n"))"
        )
    }

    @Test(
        "decode → encode → decode is a fixed point for every valid case",
        .enabled("TOML_TEST_DIR is not set; the toml-test suite is skipped") { TOMLTestSuite.isConfigured }
    )
    func roundTrips() throws {
        let directory = try suiteDirectory()
        let cases = try TOMLTestSuite.cases(in: directory).valid
        var failures: [String] = []
        for name in cases {
            let base = directory + "/tests/" + name
            do {
                let original = try TOMLDecoder.decode(try TOMLTestSuite.bytes(base + ".toml"))
                let encoded = TOMLEncoder.encode(original)
                let decoded = try TOMLDecoder.decode(encoded)
                if let problem = TaggedJSON.mismatch(decoded, try TOMLTestSuite.expectedJSON(base + ".json")) {
                    failures.append("\(name): re-decoded value differs: \(problem)")
                } else if TOMLEncoder.encode(decoded) != encoded {
                    failures.append("\(name): second encoding differs from the first")
                }
            } catch {
                failures.append("\(name): \(error)")
            }
        }
        #expect(
            failures.isEmpty,
            "\(failures.count) of \(cases.count) round trips failed:\n\(failures.joined(separator: "\n"))"
        )
    }
}
