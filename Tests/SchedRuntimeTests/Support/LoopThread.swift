import Foundation
import Synchronization

@testable import SchedRuntime

/// Runs an `EventLoop` on its own thread for tests that drive it from outside (real sockets, clients on
/// the test's thread). `setUp` runs on the loop thread before `run()`; `stop()` ends the loop and joins.
final class LoopThread<Value: Sendable>: @unchecked Sendable {
    // Written once on the loop thread before `ready` is signalled, then only read.
    private(set) var value: Value?
    private var stopHandle: EventLoop.StopHandle?
    private var failure: (any Error)?
    private let ready = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the thread; returns once `setUp` has run (rethrowing its error).
    init(_ setUp: @escaping @Sendable (EventLoop) throws -> (Value, teardown: () -> Void)) throws {
        let thread = Thread { [self] in
            var teardown: () -> Void = {}
            do {
                let loop = try EventLoop()
                let (value, tear) = try setUp(loop)
                teardown = tear
                self.value = value
                self.stopHandle = loop.stopHandle
                self.ready.signal()
                try loop.run()
            } catch {
                self.failure = error
                self.ready.signal()
            }
            teardown()
            self.finished.signal()
        }
        thread.start()
        ready.wait()
        if let failure { throw failure }
    }

    /// Stops the loop and waits for its thread to finish.
    func stop() {
        stopHandle?.stop()
        finished.wait()
    }
}
