import CSchedLinux
import Glibc

/// A POSIX signal number with Swift names for the ones the daemon handles.
public struct Signal: Hashable, Sendable, CustomStringConvertible {
    /// The C signal number.
    public var rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// `SIGTERM`: polite stop request (systemd, `kill`).
    public static let terminate = Signal(rawValue: SIGTERM)
    /// `SIGINT`: interactive stop request (Ctrl-C).
    public static let interrupt = Signal(rawValue: SIGINT)
    /// `SIGHUP`: the daemon's reload request.
    public static let hangup = Signal(rawValue: SIGHUP)
    /// `SIGCHLD`: a child changed state.
    public static let child = Signal(rawValue: SIGCHLD)
    /// `SIGKILL`: cannot be caught; the end of a kill grace period.
    public static let kill = Signal(rawValue: SIGKILL)
    /// `SIGPIPE`: written to a pipe nobody reads; the daemon ignores it.
    public static let pipe = Signal(rawValue: SIGPIPE)

    /// The signals the daemon receives through its signalfd.
    public static let daemonSignals: [Signal] = [.terminate, .interrupt, .hangup, .child]

    /// The conventional name without `SIG`, e.g. `TERM`, or the number for others.
    public var description: String {
        switch rawValue {
        case SIGTERM: "TERM"
        case SIGINT: "INT"
        case SIGHUP: "HUP"
        case SIGCHLD: "CHLD"
        case SIGKILL: "KILL"
        case SIGPIPE: "PIPE"
        case SIGQUIT: "QUIT"
        case SIGABRT: "ABRT"
        case SIGSEGV: "SEGV"
        case SIGUSR1: "USR1"
        case SIGUSR2: "USR2"
        case SIGALRM: "ALRM"
        default: "\(rawValue)"
        }
    }
}

// MARK: - Process-wide signal setup

/// Process-wide signal configuration the daemon performs once, first thing in `main`.
public enum SignalSetup {
    /// Blocks `signals` in the calling thread, so that every thread created afterwards inherits the
    /// mask and the signals are only ever delivered through a signalfd.
    ///
    /// - Important: call this in `main` before any thread exists (before any `Task`, Dispatch or
    ///   Foundation use). A thread created earlier keeps an unblocked mask and the kernel may deliver the
    ///   signal there with its default action, terminating the daemon. Children still start with an
    ///   empty mask: the launcher resets it.
    public static func blockProcessWide(_ signals: [Signal] = Signal.daemonSignals) throws(Errno) {
        var set = makeSignalSet(signals)
        let result = pthread_sigmask(SIG_BLOCK, &set, nil)
        if result != 0 { throw Errno(rawValue: result) }
    }

    /// Ignores SIGPIPE so a write to a closed pipe or socket fails with EPIPE instead of killing the daemon.
    public static func ignoreBrokenPipe() {
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
    }

    /// A `sigset_t` holding exactly `signals`.
    static func makeSignalSet(_ signals: [Signal]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals {
            sigaddset(&set, signal.rawValue)
        }
        return set
    }
}
