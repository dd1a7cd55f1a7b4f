import Glibc
import SchedCore
import Synchronization

/// What the probe is doing, so a timeout can say where the time went.
enum ProbePhase: Int, CaseIterable {
    case resolving
    case connecting
    case sending
    case waiting
    case reading

    /// The words after "timed out after 5s while …".
    var activity: String {
        switch self {
        case .resolving: "resolving the host name"
        case .connecting: "connecting"
        case .sending: "sending the request"
        case .waiting: "waiting for the response"
        case .reading: "reading the body"
        }
    }
}

/// The probe's single report, and the watchdog that reports a timeout while the main thread is stuck.
///
/// Exactly one `ProbeResult` line reaches stdout: the main thread and the watchdog race for it through
/// one atomic flag, and the loser blocks until the winner has written the line and ended the process
/// with `_exit`. A watchdog thread rather than per-call timeouts, because `getaddrinfo` has no timeout
/// of its own and a blocking read is simpler than a poll loop for every step.
enum ProbeReporter {
    /// Set by whichever thread reports first.
    private static let reported = Atomic<Bool>(false)
    /// `ProbePhase.rawValue` of the current step, read by the watchdog.
    private static let phase = Atomic<Int>(ProbePhase.resolving.rawValue)

    /// Records the step the main thread is starting.
    static func enter(_ next: ProbePhase) {
        phase.store(next.rawValue, ordering: .relaxed)
    }

    /// Writes `result` as the report line and exits with its exit code (0 passed, 1 failed).
    static func finish(with result: ProbeResult) -> Never {
        emit(result.jsonLine + "\n", exitCode: result.exitCode)
    }

    private static func emit(_ line: String, exitCode: Int32) -> Never {
        guard reported.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else {
            // The other thread is reporting and will end the process.
            while true { pause() }
        }
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { break }
            offset += written
        }
        _exit(exitCode)
    }

    // MARK: - Watchdog

    /// The timeout report for each phase, formatted before the watchdog starts so it only has to pick one.
    private final class WatchdogContext: Sendable {
        let limit: Duration
        let lines: [String]

        init(limit: Duration) {
            self.limit = limit
            lines = ProbePhase.allCases.map { ProbeResult.timedOut(after: limit, phase: $0.activity).jsonLine + "\n" }
        }
    }

    /// Starts a thread that reports a timeout when `limit` has passed without a report.
    static func startWatchdog(limit: Duration) {
        let context = Unmanaged.passRetained(WatchdogContext(limit: limit)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread,
            nil,
            { argument in
                let context = Unmanaged<WatchdogContext>.fromOpaque(argument!).takeRetainedValue()
                let (seconds, attoseconds) = context.limit.components
                var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
                var remaining = timespec()
                while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
                let current = ProbeReporter.phase.load(ordering: .relaxed)
                ProbeReporter.emit(context.lines[current], exitCode: 1)
            },
            context
        )
        precondition(status == 0, "cannot start the probe's watchdog thread (error \(status))")
    }
}
