import CSchedLinux
import Glibc

/// An `eventfd` that another thread writes to wake the event loop (for example to stop it).
struct WakeupDescriptor: Sendable {
    let descriptor: FileDescriptor

    init() throws(Errno) {
        descriptor = FileDescriptor(rawValue: try valueOrErrno(csl_eventfd()))
    }

    /// Makes the descriptor readable. Safe from any thread; a full counter (EAGAIN) is already readable.
    func signal() {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { bytes in Glibc.write(descriptor.rawValue, bytes.baseAddress, 8) }
    }

    /// Resets the counter after a wake-up.
    func drain() {
        var count: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &count) { bytes in Glibc.read(descriptor.rawValue, bytes.baseAddress, 8) }
    }

    func close() {
        descriptor.close()
    }
}
