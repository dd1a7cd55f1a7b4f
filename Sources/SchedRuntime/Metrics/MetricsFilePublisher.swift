/// Keeps `metrics_file` current without writing it on every event: after a change, the file is
/// rewritten at most once per `minimumInterval` (the first change after a quiet spell is written at once,
/// a burst collapses into one more write at the end of the interval).
///
/// A write failure is logged once (`metrics_file_failed`, warning) and again only after a success
/// (`metrics_file_recovered`), so a full disk does not flood the journal. Use on the loop thread.
public final class MetricsFilePublisher {
    public let writer: MetricsFileWriter
    public let minimumInterval: Duration
    private let loop: EventLoop
    private let logger: Logger
    private let render: () -> String
    private var lastWrite: MonotonicInstant?
    private var pending: EventLoop.TimerID?
    private var failing = false
    /// Files written so far (for tests and the benchmark).
    public private(set) var writeCount = 0

    public init(
        loop: EventLoop,
        writer: MetricsFileWriter,
        minimumInterval: Duration = .seconds(1),
        logger: Logger,
        render: @escaping () -> String
    ) {
        self.loop = loop
        self.writer = writer
        self.minimumInterval = minimumInterval
        self.logger = logger
        self.render = render
    }

    deinit {
        if let pending { loop.cancelTimer(pending) }
    }

    /// Something the metrics show has changed: write now, or once the interval since the last write ends.
    public func markChanged() {
        guard pending == nil else { return }
        let now = MonotonicInstant.now()
        if let lastWrite, now < lastWrite + minimumInterval {
            pending = loop.scheduleTimer(at: lastWrite + minimumInterval) { [weak self] in
                self?.pending = nil
                self?.writeNow()
            }
        } else {
            writeNow()
        }
    }

    /// Writes the current exposition immediately (start-up, shutdown), cancelling a pending write.
    public func writeNow() {
        if let pending { loop.cancelTimer(pending) }
        pending = nil
        lastWrite = MonotonicInstant.now()
        do {
            try writer.write(render())
            writeCount += 1
            if failing {
                failing = false
                logger.notice("metrics_file_recovered", ["path": .string(writer.path)])
            }
        } catch {
            if !failing {
                failing = true
                logger.warning(
                    "metrics_file_failed",
                    ["path": .string(writer.path), "error": .string(error.description)]
                )
            }
        }
    }
}
