import Glibc
import Synchronization
import Testing

@testable import SchedRuntime

@Suite("Metrics file writer")
struct MetricsFileWriterTests {
    /// A fresh directory under /tmp, removed with its contents afterwards.
    final class TemporaryDirectory {
        let path: String
        init() {
            var template = Array("/tmp/schedd-metrics-XXXXXX".utf8CString)
            path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        }
        deinit {
            for name in entries() { unlink("\(path)/\(name)") }
            rmdir(path)
        }
        func entries() -> [String] {
            guard let directory = opendir(path) else { return [] }
            defer { closedir(directory) }
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
                }
                if name != "." && name != ".." { names.append(name) }
            }
            return names.sorted()
        }
    }

    static func contents(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("writes the exposition with mode 0644 and leaves no temporary file behind")
    func writesFile() throws {
        let directory = TemporaryDirectory()
        let writer = MetricsFileWriter(path: "\(directory.path)/schedd.prom")
        try writer.write("a 1\n")
        try writer.write("a 2\n")
        #expect(Self.contents(writer.path) == "a 2\n")
        var info = stat()
        #expect(stat(writer.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o644)
        #expect(directory.entries() == ["schedd.prom"])
    }

    @Test("the file is replaced, not rewritten: a reader holding the old file still sees all of it")
    func replacedNotRewritten() throws {
        let directory = TemporaryDirectory()
        let writer = MetricsFileWriter(path: "\(directory.path)/schedd.prom")
        try writer.write("old 1\n")
        let old = open(writer.path, O_RDONLY)
        defer { close(old) }
        var before = stat()
        fstat(old, &before)
        try writer.write("new 2\n")
        var after = stat()
        stat(writer.path, &after)
        #expect(before.st_ino != after.st_ino)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(old, &buffer, buffer.count)
        #expect(String(decoding: buffer[..<max(count, 0)], as: UTF8.self) == "old 1\n")
    }

    @Test("a concurrent reader only ever sees one whole version")
    func concurrentReader() throws {
        let directory = TemporaryDirectory()
        let writer = MetricsFileWriter(path: "\(directory.path)/schedd.prom")
        let versions = ["a", "b"].map { String(repeating: "metric_\($0) 1\n", count: 40_000) }
        try writer.write(versions[0])
        let done = Atomic<Bool>(false)
        let torn = Atomic<Int>(0)
        let reads = Atomic<Int>(0)
        let path = writer.path
        var thread = pthread_t()
        let box = Unmanaged.passRetained(
            ReaderContext(body: {
                while !done.load(ordering: .acquiring) {
                    let text = Self.contents(path)
                    if let text, text != versions[0], text != versions[1] { torn.add(1, ordering: .relaxed) }
                    reads.add(1, ordering: .relaxed)
                }
            })
        )
        pthread_create(
            &thread,
            nil,
            { context in
                let context = Unmanaged<ReaderContext>.fromOpaque(context!).takeRetainedValue()
                context.body()
                return nil
            },
            box.toOpaque()
        )
        for index in 0..<60 {
            try writer.write(versions[index % 2])
        }
        done.store(true, ordering: .releasing)
        pthread_join(thread, nil)
        #expect(torn.load(ordering: .relaxed) == 0)
        #expect(reads.load(ordering: .relaxed) > 0)
    }

    @Test("a failed write throws and leaves the old file and no temporary file")
    func failureKeepsOldFile() throws {
        let directory = TemporaryDirectory()
        #expect(throws: Errno.noSuchFileOrDirectory) {
            try MetricsFileWriter(path: "\(directory.path)/missing/schedd.prom").write("x 1\n")
        }
        // The target is a directory: the rename fails after the temporary file was written.
        let target = "\(directory.path)/schedd.prom"
        mkdir(target, 0o755)
        defer { rmdir(target) }
        #expect(throws: Errno.self) { try MetricsFileWriter(path: target).write("x 1\n") }
        #expect(directory.entries() == ["schedd.prom"])
    }
}

private final class ReaderContext: @unchecked Sendable {
    // Immutable after init; handed to one thread.
    let body: @Sendable () -> Void
    init(body: @escaping @Sendable () -> Void) { self.body = body }
}
