import CSchedLinux
import Glibc
import SchedTime

/// A one-shot `timerfd` armed for absolute deadlines.
struct TimerDescriptor {
    /// What reading an expired or cancelled timer reported.
    enum Expiry {
        /// The deadline passed.
        case expired
        /// `TFD_TIMER_CANCEL_ON_SET`: the realtime clock was set (settimeofday, NTP step); read fails
        /// with ECANCELED.
        case clockChanged
        /// Nothing yet (a spurious wake-up, or the timer was re-armed since it became readable).
        case notYet
    }

    /// Which clock the timer follows.
    enum Clock {
        /// `CLOCK_REALTIME`, with `TFD_TIMER_CANCEL_ON_SET` so clock steps are reported.
        case realtime
        /// `CLOCK_MONOTONIC`.
        case monotonic
    }

    let descriptor: FileDescriptor
    let clock: Clock

    init(clock: Clock) throws(Errno) {
        self.clock = clock
        let id = clock == .realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC
        descriptor = FileDescriptor(rawValue: try valueOrErrno(csl_timerfd_create(id)))
    }

    /// Arms the timer to expire once at `nanoseconds` on its clock (absolute). A deadline in the past
    /// expires immediately. Zero is bumped to 1 ns, because zero would disarm.
    func arm(atNanoseconds nanoseconds: Int64) throws(Errno) {
        var flags = csl_TFD_TIMER_ABSTIME()
        if clock == .realtime { flags |= csl_TFD_TIMER_CANCEL_ON_SET() }
        let value = max(nanoseconds, 1)
        let seconds = floorDivide(value, 1_000_000_000)
        let fraction = value - seconds * 1_000_000_000
        _ = try valueOrErrno(csl_timerfd_settime(descriptor.rawValue, flags, seconds, fraction))
    }

    /// Disarms the timer.
    func disarm() throws(Errno) {
        _ = try valueOrErrno(csl_timerfd_settime(descriptor.rawValue, 0, 0, 0))
    }

    /// Consumes the expiration count after the timer became readable.
    func read() throws(Errno) -> Expiry {
        var count: UInt64 = 0
        do {
            let n = try withUnsafeMutableBytes(of: &count) { (buffer) throws(Errno) in
                try descriptor.read(into: buffer)
            }
            return n == 8 && count > 0 ? .expired : .notYet
        } catch .canceled {
            return .clockChanged
        } catch .wouldBlock {
            return .notYet
        }
    }

    func close() {
        descriptor.close()
    }
}
