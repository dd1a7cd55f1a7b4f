import Foundation
import Glibc
import Testing

@testable import SchedRuntime

@Suite("Metrics file publisher", .hangGuard)
struct MetricsFilePublisherTests {
    @Test("a burst of changes costs one write now and one at the end of the interval, with the latest text")
    func rateLimited() throws {
        let directory = MetricsFileWriterTests.TemporaryDirectory()
        let loop = try EventLoop()
        var version = 0
        let publisher = MetricsFilePublisher(
            loop: loop,
            writer: MetricsFileWriter(path: "\(directory.path)/m.prom"),
            minimumInterval: .milliseconds(300),
            logger: Logger(sink: CapturingLogSink()),
            render: { "version \(version)\n" }
        )
        // A burst inside one callback: nothing is written from inside it.
        for _ in 0..<50 {
            version += 1
            publisher.markChanged()
        }
        #expect(publisher.writeCount == 0)
        // On the next turn one write with the burst's last state; then another burst within the
        // interval waits for its end.
        var afterFirst: (count: Int, text: String?)?
        var midInterval: Int?
        loop.scheduleTimer(after: .milliseconds(50)) { [unowned loop] in
            afterFirst = (publisher.writeCount, MetricsFileWriterTests.contents("\(directory.path)/m.prom"))
            for _ in 0..<10 {
                version += 1
                publisher.markChanged()
            }
            loop.scheduleTimer(after: .milliseconds(150)) { midInterval = publisher.writeCount }
            loop.scheduleTimer(after: .milliseconds(550)) { loop.stop() }
        }
        try loop.run()
        #expect(afterFirst?.count == 1)
        #expect(afterFirst?.text == "version 50\n")
        #expect(midInterval == 1, "the second burst waits for the interval to end")
        #expect(publisher.writeCount == 2)
        #expect(MetricsFileWriterTests.contents("\(directory.path)/m.prom") == "version 60\n")
    }

    @Test("write failures are logged once until a write succeeds again")
    func failureLoggedOnce() throws {
        let directory = MetricsFileWriterTests.TemporaryDirectory()
        let sink = CapturingLogSink()
        let loop = try EventLoop()
        let publisher = MetricsFilePublisher(
            loop: loop,
            writer: MetricsFileWriter(path: "\(directory.path)/sub/m.prom"),
            logger: Logger(sink: sink),
            render: { "x 1\n" }
        )
        for _ in 0..<3 { publisher.writeNow() }
        #expect(sink.lines.count == 1)
        #expect(sink.lines.first?.contains("event=metrics_file_failed") == true)
        mkdir("\(directory.path)/sub", 0o755)
        defer {
            unlink("\(directory.path)/sub/m.prom")
            rmdir("\(directory.path)/sub")
        }
        publisher.writeNow()
        #expect(sink.lines.count == 2)
        #expect(sink.lines.last?.contains("event=metrics_file_recovered") == true)
        #expect(publisher.writeCount == 1)
    }
}
