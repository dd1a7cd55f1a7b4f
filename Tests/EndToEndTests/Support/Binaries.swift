import Foundation
import Testing

/// Finds the package's built executables and runs them as a user would.
///
/// `swift test` builds every product next to the test bundle, so the folder of the running test
/// executable (`/proc/self/exe`) holds `schedctl`, `schedd` and `toml-test-decoder`.
/// `SCHEDD_BUILD_DIR` overrides the folder.
enum Binaries {
    static let folder: String = {
        if let override = ProcessInfo.processInfo.environment["SCHEDD_BUILD_DIR"] { return override }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        return (executable as NSString).deletingLastPathComponent
    }()

    /// The repository root, for fixtures such as the example `schedules.toml`.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func path(_ name: String) throws -> String {
        let path = folder + "/" + name
        try #require(
            FileManager.default.isExecutableFile(atPath: path),
            "\(name) not found in \(folder); run `swift build` first or set SCHEDD_BUILD_DIR"
        )
        return path
    }
}

/// What a finished process left behind.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `executable` with `arguments` (and optional standard input) and waits for it.
func run(_ executable: String, _ arguments: [String], stdin input: String? = nil, environment: [String: String]? = nil)
    throws -> ProcessResult
{
    let process = Process()
    // An absolute path is a system tool; a bare name is one of the package's products.
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : try Binaries.path(executable))
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    let errors = Pipe()
    let inputPipe = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
    try process.run()
    if let input {
        inputPipe.fileHandleForWriting.write(Data(input.utf8))
        try inputPipe.fileHandleForWriting.close()
    }
    // Read both pipes before waiting so a chatty child cannot block on a full pipe.
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self)
    )
}

/// A fresh folder under the system temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "schedd-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
