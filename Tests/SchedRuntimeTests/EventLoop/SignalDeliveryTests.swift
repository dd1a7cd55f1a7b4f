import Glibc
import Testing

@testable import SchedRuntime

/// Signal delivery needs a blocked mask, which must not leak into the other tests of this process: each
/// test runs in an exit-test child process, and sends thread-directed signals (`raise`) to the thread
/// running the loop, so the test runner's other threads are never involved.
@Suite("EventLoop signals", .hangGuard)
struct SignalDeliveryTests {
    @Test("blocked signals arrive through the signalfd in the loop")
    func signalfdDelivery() async {
        await #expect(processExitsWith: .success) {
            do {
                try SignalSetup.blockProcessWide()
                let loop = try EventLoop()
                var received: [Signal] = []
                _ = try loop.watchSignals(Signal.daemonSignals) { [unowned loop] signal in
                    received.append(signal)
                    if received.count == 2 { loop.stop() }
                }
                loop.scheduleTimer(after: .milliseconds(1)) {
                    raise(SIGHUP)
                    raise(SIGTERM)
                }
                loop.scheduleTimer(after: .seconds(10)) { [unowned loop] in loop.stop() }
                try loop.run()
                exit(Set(received) == [.hangup, .terminate] ? 0 : 1)
            } catch {
                exit(2)
            }
        }
    }
}
