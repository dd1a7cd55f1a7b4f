import CSchedLinux
import Glibc

/// A non-blocking `signalfd` delivering the given (blocked) signals as readable records.
struct SignalDescriptor {
    let descriptor: FileDescriptor

    /// - Important: the signals must be blocked in every thread (`SignalSetup.blockProcessWide`), or the
    ///   kernel may deliver them the ordinary way instead.
    init(signals: [Signal]) throws(Errno) {
        var set = SignalSetup.makeSignalSet(signals)
        descriptor = FileDescriptor(rawValue: try valueOrErrno(csl_signalfd(&set)))
    }

    /// Reads every pending signal (possibly none). Identical pending signals merge, as with handlers.
    func readPending() throws(Errno) -> [Signal] {
        let recordSize = csl_signalfd_siginfo_size()
        var signals: [Signal] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: recordSize * 16, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let n: Int
            do {
                n = try descriptor.read(into: buffer)
            } catch .wouldBlock {
                return signals
            }
            guard n >= recordSize, let base = buffer.baseAddress else { return signals }
            for offset in stride(from: 0, to: n - recordSize + 1, by: recordSize) {
                signals.append(Signal(rawValue: csl_signalfd_siginfo_signo(base + offset)))
            }
        }
    }

    func close() {
        descriptor.close()
    }
}
