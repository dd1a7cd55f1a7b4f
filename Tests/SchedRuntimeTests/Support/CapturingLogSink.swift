import Synchronization

@testable import SchedRuntime

/// A log sink that keeps every line, for assertions.
final class CapturingLogSink: LogSink {
    private let storage = Mutex<[String]>([])

    func write(line: String) {
        storage.withLock { $0.append(line) }
    }

    var lines: [String] { storage.withLock { $0 } }
}
