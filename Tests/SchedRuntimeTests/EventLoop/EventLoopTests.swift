import Dispatch
import SchedTime
import Testing

@testable import SchedRuntime

@Suite("EventLoop", .hangGuard)
struct EventLoopTests {
    @Test("the wall-clock alarm fires for an instant ~50 ms ahead, not before it")
    func alarmFires() throws {
        let loop = try EventLoop()
        var events: [EventLoop.AlarmEvent] = []
        var firedAt: Instant?
        loop.setAlarmHandler { [unowned loop] event in
            events.append(event)
            firedAt = WallClock.now()
            loop.stop()
        }
        let target = WallClock.now() + .milliseconds(50)
        try loop.armAlarm(at: target)
        loop.scheduleTimer(after: .seconds(10)) { [unowned loop] in loop.stop() }
        try loop.run()
        #expect(events == [.fired])
        let fired = try #require(firedAt)
        #expect(fired >= target)
    }

    @Test("a re-armed alarm fires only at its new instant; a disarmed one not at all")
    func rearmAndDisarm() throws {
        let loop = try EventLoop()
        var events: [EventLoop.AlarmEvent] = []
        loop.setAlarmHandler { events.append($0) }
        try loop.armAlarm(at: WallClock.now() + .milliseconds(20))
        try loop.disarmAlarm()
        loop.scheduleTimer(after: .milliseconds(80)) { [unowned loop] in loop.stop() }
        try loop.run()
        #expect(events.isEmpty)

        let later = WallClock.now() + .milliseconds(40)
        try loop.armAlarm(at: WallClock.now() + .seconds(30))
        try loop.armAlarm(at: later)
        loop.setAlarmHandler { [unowned loop] event in
            events.append(event)
            loop.stop()
        }
        try loop.run()
        #expect(events == [.fired])
        #expect(WallClock.now() >= later)
    }

    @Test("an alarm in the past fires at once")
    func pastAlarm() throws {
        let loop = try EventLoop()
        var fired = false
        loop.setAlarmHandler { [unowned loop] _ in
            fired = true
            loop.stop()
        }
        try loop.armAlarm(at: WallClock.now() - .seconds(60))
        loop.scheduleTimer(after: .seconds(10)) { [unowned loop] in loop.stop() }
        try loop.run()
        #expect(fired)
    }

    @Test("monotonic timers run in deadline order; cancelled ones never run")
    func monotonicTimers() throws {
        let loop = try EventLoop()
        var order: [String] = []
        loop.scheduleTimer(after: .milliseconds(30)) { order.append("c") }
        loop.scheduleTimer(after: .milliseconds(10)) { order.append("a") }
        let cancelled = loop.scheduleTimer(after: .milliseconds(20)) { order.append("cancelled") }
        loop.scheduleTimer(after: .milliseconds(20)) { order.append("b") }
        loop.scheduleTimer(after: .milliseconds(40)) { [unowned loop] in loop.stop() }
        loop.cancelTimer(cancelled)
        let start = MonotonicInstant.now()
        try loop.run()
        #expect(order == ["a", "b", "c"])
        #expect(MonotonicInstant.now() - start >= .milliseconds(40))
        #expect(loop.pendingTimerCount == 0)
    }

    @Test("a timer scheduled from a callback runs too")
    func nestedTimer() throws {
        let loop = try EventLoop()
        var ran = false
        loop.scheduleTimer(after: .milliseconds(5)) { [unowned loop] in
            loop.scheduleTimer(after: .milliseconds(5)) {
                ran = true
                loop.stop()
            }
        }
        loop.scheduleTimer(after: .seconds(10)) { [unowned loop] in loop.stop() }
        try loop.run()
        #expect(ran)
    }

    @Test("a registered descriptor's callback runs when it becomes readable, and not after unregistering")
    func readableDescriptor() throws {
        let loop = try EventLoop()
        let pipe = try FileDescriptor.makePipe()
        defer {
            pipe.read.close()
            pipe.write.close()
        }
        try pipe.read.setNonBlocking()
        var received: [UInt8] = []
        var registration: EventLoop.Registration?
        registration = try loop.register(pipe.read) { [unowned loop] in
            var buffer = [UInt8](repeating: 0, count: 16)
            let count = (try? buffer.withUnsafeMutableBytes { try pipe.read.read(into: $0) }) ?? 0
            received += buffer[..<count]
            if let registration { loop.unregister(registration) }
            loop.scheduleTimer(after: .milliseconds(30)) { loop.stop() }
        }
        loop.scheduleTimer(after: .milliseconds(10)) {
            try? pipe.write.writeAll("hi")
        }
        // Written after unregistering: must not be delivered.
        loop.scheduleTimer(after: .milliseconds(20)) {
            try? pipe.write.writeAll("late")
        }
        try loop.run()
        #expect(received == Array("hi".utf8))
    }

    @Test("a stop handle stops the loop from another thread")
    func stopHandle() throws {
        let loop = try EventLoop()
        let handle = loop.stopHandle
        // A Dispatch thread, not a Swift task: other tests block the cooperative pool's threads
        // in `run()`, so a task might not get a thread before the safety timer fires.
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(30)) { handle.stop() }
        // A safety timer far beyond the stop, so a broken handle fails rather than hangs.
        var timedOut = false
        loop.scheduleTimer(after: .seconds(20)) { [unowned loop] in
            timedOut = true
            loop.stop()
        }
        try loop.run()
        #expect(!timedOut)
    }

    @Test("a stop requested before run returns at once")
    func stopBeforeRun() throws {
        let loop = try EventLoop()
        loop.stopHandle.stop()
        var timedOut = false
        loop.scheduleTimer(after: .seconds(20)) { [unowned loop] in
            timedOut = true
            loop.stop()
        }
        try loop.run()
        #expect(!timedOut)
    }
}
