// EventLoop: the daemon's single-threaded reactor.
//
// Design note
// - One epoll instance, run on the calling thread (`run()` blocks until `stop()`); every callback runs on
//   that thread, so the loop and its users need no locks. The only cross-thread entry is `StopHandle`.
// - Event sources, each one descriptor in the epoll set:
//   - registered descriptors (pipes, pidfds, sockets): level-triggered readability callbacks;
//   - the wall-clock alarm: a `CLOCK_REALTIME` timerfd armed with `TFD_TIMER_ABSTIME |
//     TFD_TIMER_CANCEL_ON_SET` for one absolute `Instant` (the scheduler's next fire time); a clock step
//     makes its read fail with ECANCELED, reported as `.clockChanged` so the core can recompute;
//   - monotonic timers (timeouts, kill grace): a min-heap of deadlines behind one `CLOCK_MONOTONIC`
//     timerfd armed for the earliest;
//   - signals: a signalfd for signals the daemon has blocked process-wide (`SignalSetup`);
//   - an eventfd that `StopHandle` writes to wake the loop from another thread.
// - No periodic tick: with nothing due the loop sleeps in `epoll_wait` indefinitely.
// - Tokens identify registrations and are never reused, so an event for a descriptor unregistered earlier
//   in the same batch finds no handler and is dropped.

public import SchedTime
import Synchronization

/// A single-threaded epoll event loop owning its thread while `run()` executes.
///
/// Not `Sendable`: create it, register sources and run it on one thread. Use `stopHandle` to stop it from
/// elsewhere.
public final class EventLoop {
    /// What the wall-clock alarm reports.
    public enum AlarmEvent: Sendable, Equatable {
        /// The armed instant was reached.
        case fired
        /// The realtime clock was set (settimeofday, an NTP step) before the instant was reached. The owner
        /// should recompute what is due and re-arm (the kernel keeps the old expiry meanwhile).
        case clockChanged
    }

    /// A registered event source, for `unregister(_:)`.
    public struct Registration: Hashable, Sendable {
        fileprivate let token: UInt64
    }

    /// A scheduled monotonic timer, for `cancelTimer(_:)`.
    public struct TimerID: Hashable, Sendable {
        fileprivate let rawValue: UInt64
    }

    // Fixed tokens for the loop's own descriptors; registrations start above them.
    private static let wakeupToken: UInt64 = 0
    private static let alarmToken: UInt64 = 1
    private static let timerToken: UInt64 = 2

    private let epoll: Epoll
    private let waker: LoopWaker
    private let alarm: TimerDescriptor
    private let monotonicTimer: TimerDescriptor

    private var nextToken: UInt64 = 16
    private var handlers: [UInt64: () -> Void] = [:]
    /// The descriptor behind each registration (needed to remove it from epoll).
    private var descriptors: [UInt64: FileDescriptor] = [:]
    /// Registrations whose descriptor the loop created and must close (signalfds).
    private var ownedDescriptors: Set<UInt64> = []

    private var alarmHandler: (AlarmEvent) -> Void = { _ in }
    private var timers = MonotonicTimerQueue()
    private var timerActions: [UInt64: () -> Void] = [:]
    private var nextTimerID: UInt64 = 1
    /// The deadline the monotonic timerfd is armed for, to skip redundant `timerfd_settime` calls.
    private var armedTimerDeadline: MonotonicInstant?

    private var stopRequested = false

    /// Creates the epoll set with its wake-up, alarm and monotonic-timer descriptors.
    public init() throws(Errno) {
        epoll = try Epoll()
        waker = try LoopWaker()
        alarm = try TimerDescriptor(clock: .realtime)
        monotonicTimer = try TimerDescriptor(clock: .monotonic)
        try epoll.addReadable(waker.descriptor.descriptor, token: Self.wakeupToken)
        try epoll.addReadable(alarm.descriptor, token: Self.alarmToken)
        try epoll.addReadable(monotonicTimer.descriptor, token: Self.timerToken)
    }

    deinit {
        for token in ownedDescriptors {
            descriptors[token]?.close()
        }
        alarm.close()
        monotonicTimer.close()
        epoll.close()
    }

    // MARK: - Descriptors

    /// Calls `onReadable` on the loop thread whenever `descriptor` is readable or hung up
    /// (level-triggered: until it has been read to EAGAIN or EOF, or unregistered).
    ///
    /// The caller keeps ownership of `descriptor` and must `unregister` before closing it.
    public func register(_ descriptor: FileDescriptor, onReadable: @escaping () -> Void) throws(Errno) -> Registration {
        let token = nextToken
        nextToken += 1
        try epoll.addReadable(descriptor, token: token)
        handlers[token] = onReadable
        descriptors[token] = descriptor
        return Registration(token: token)
    }

    /// Stops watching a registration; a no-op when already unregistered. Closes descriptors the loop
    /// created itself (signalfds).
    public func unregister(_ registration: Registration) {
        guard let descriptor = descriptors.removeValue(forKey: registration.token) else { return }
        handlers[registration.token] = nil
        // ENOENT/EBADF here only mean the kernel already dropped it; nothing to undo.
        try? epoll.remove(descriptor)
        if ownedDescriptors.remove(registration.token) != nil {
            descriptor.close()
        }
    }

    // MARK: - Signals

    /// Delivers `signals` to `handler` through a signalfd.
    ///
    /// - Important: the signals must already be blocked in every thread (`SignalSetup.blockProcessWide`
    ///   first thing in `main`); otherwise the kernel may deliver them normally instead.
    public func watchSignals(_ signals: [Signal], handler: @escaping (Signal) -> Void) throws(Errno) -> Registration {
        let signalDescriptor = try SignalDescriptor(signals: signals)
        do {
            let registration = try register(signalDescriptor.descriptor) {
                // A read error other than EAGAIN cannot be acted on here; the next readiness retries.
                for signal in (try? signalDescriptor.readPending()) ?? [] {
                    handler(signal)
                }
            }
            ownedDescriptors.insert(registration.token)
            return registration
        } catch {
            signalDescriptor.close()
            throw error
        }
    }

    // MARK: - Wall-clock alarm

    /// Sets what the wall-clock alarm reports to.
    public func setAlarmHandler(_ handler: @escaping (AlarmEvent) -> Void) {
        alarmHandler = handler
    }

    /// Arms the single wall-clock alarm for `instant` (absolute `CLOCK_REALTIME`), replacing any earlier
    /// arming. An instant in the past fires on the next loop iteration.
    public func armAlarm(at instant: Instant) throws(Errno) {
        try alarm.arm(atNanoseconds: instant.nanosecondsSinceEpoch)
    }

    /// Disarms the wall-clock alarm.
    public func disarmAlarm() throws(Errno) {
        try alarm.disarm()
    }

    // MARK: - Monotonic timers

    /// Runs `action` on the loop thread once `delay` has elapsed on the monotonic clock.
    @discardableResult
    public func scheduleTimer(after delay: Duration, _ action: @escaping () -> Void) -> TimerID {
        scheduleTimer(at: MonotonicInstant.now() + delay, action)
    }

    /// Runs `action` on the loop thread once the monotonic clock reaches `deadline`.
    @discardableResult
    public func scheduleTimer(at deadline: MonotonicInstant, _ action: @escaping () -> Void) -> TimerID {
        let id = nextTimerID
        nextTimerID += 1
        timers.schedule(id: id, at: deadline)
        timerActions[id] = action
        return TimerID(rawValue: id)
    }

    /// Cancels a pending timer; a no-op when it already ran or was cancelled.
    public func cancelTimer(_ timer: TimerID) {
        timers.cancel(id: timer.rawValue)
        timerActions[timer.rawValue] = nil
    }

    /// Number of pending monotonic timers.
    public var pendingTimerCount: Int { timers.count }

    // MARK: - Running

    /// A `Sendable` handle that stops the loop from any thread.
    public var stopHandle: StopHandle { StopHandle(waker: waker) }

    /// Makes `run()` return after the callback that is executing (call from the loop thread).
    public func stop() {
        stopRequested = true
    }

    /// Dispatches events on the calling thread until `stop()` or a `StopHandle` is used.
    ///
    /// Throws only when `epoll_wait` or arming the monotonic timer fails, which means the loop itself is
    /// broken (EBADF, ENOMEM). A stop request made before `run()` is honoured immediately.
    public func run() throws(Errno) {
        while !stopRequested && !waker.isStopRequested {
            try rearmMonotonicTimer()
            for event in try epoll.wait() where event.isReadable {
                dispatch(event.token)
                if stopRequested { break }
            }
        }
        stopRequested = false
        waker.clearStopRequest()
    }

    private func dispatch(_ token: UInt64) {
        switch token {
        case Self.wakeupToken:
            waker.descriptor.drain()
        case Self.alarmToken:
            switch (try? alarm.read()) ?? .notYet {
            case .expired: alarmHandler(.fired)
            case .clockChanged: alarmHandler(.clockChanged)
            case .notYet: break
            }
        case Self.timerToken:
            _ = try? monotonicTimer.read()
            armedTimerDeadline = nil
            runExpiredTimers()
        default:
            // Copied out first: the handler may unregister itself (mutating `handlers`) while it runs.
            let handler = handlers[token]
            handler?()
        }
    }

    private func runExpiredTimers() {
        for id in timers.popExpired(now: MonotonicInstant.now()) {
            if let action = timerActions.removeValue(forKey: id) {
                action()
            }
        }
    }

    /// Points the monotonic timerfd at the earliest pending deadline (or disarms it), only when that changed.
    private func rearmMonotonicTimer() throws(Errno) {
        let earliest = timers.earliestDeadline()
        guard earliest != armedTimerDeadline else { return }
        if let earliest {
            try monotonicTimer.arm(atNanoseconds: earliest.nanoseconds)
        } else {
            try monotonicTimer.disarm()
        }
        armedTimerDeadline = earliest
    }
}

// MARK: - Cross-thread stop

extension EventLoop {
    /// Stops an `EventLoop` from any thread (for example a test's watchdog, or an async bridge).
    public struct StopHandle: Sendable {
        fileprivate let waker: LoopWaker

        /// Asks the loop to return from `run()`; harmless after the loop has gone.
        public func stop() {
            waker.requestStop()
        }
    }
}

/// The eventfd and flag shared between the loop and its `StopHandle`s; the descriptor closes when the
/// last of them goes, so a late `stop()` can never write to a reused descriptor number.
private final class LoopWaker: Sendable {
    let descriptor: WakeupDescriptor
    private let stop = Atomic<Bool>(false)

    init() throws(Errno) {
        descriptor = try WakeupDescriptor()
    }

    deinit {
        descriptor.close()
    }

    var isStopRequested: Bool { stop.load(ordering: .acquiring) }

    func requestStop() {
        stop.store(true, ordering: .releasing)
        descriptor.signal()
    }

    func clearStopRequest() {
        stop.store(false, ordering: .relaxed)
    }
}
