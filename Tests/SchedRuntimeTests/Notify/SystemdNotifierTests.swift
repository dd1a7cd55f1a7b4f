import Testing

@testable import SchedRuntime

@Suite("SystemdNotifier", .hangGuard)
struct SystemdNotifierTests {
    @Test("messages arrive as one datagram each, on path and abstract sockets", arguments: [false, true])
    func messages(abstract: Bool) throws {
        let receiver = try DatagramReceiver(abstract: abstract)
        let notifier = try #require(SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": receiver.address]))

        try notifier.ready()
        #expect(try receiver.receive() == "READY=1")
        try notifier.ready(status: "3 jobs scheduled")
        #expect(try receiver.receive() == "READY=1\nSTATUS=3 jobs scheduled")
        try notifier.reloading(now: MonotonicInstant(nanoseconds: 12_345_678_999))
        #expect(try receiver.receive() == "RELOADING=1\nMONOTONIC_USEC=12345678")
        try notifier.stopping(status: "stopping")
        #expect(try receiver.receive() == "STOPPING=1\nSTATUS=stopping")
        try notifier.status("reload failed:\nbad cron")
        #expect(try receiver.receive() == "STATUS=reload failed: bad cron")
        try notifier.watchdog()
        #expect(try receiver.receive() == "WATCHDOG=1")
    }

    @Test("RELOADING=1 carries the current monotonic time by default")
    func reloadingUsesMonotonicClock() throws {
        let receiver = try DatagramReceiver(abstract: true)
        let before = MonotonicInstant.now().nanoseconds / 1_000
        try SystemdNotifier(socketAddress: receiver.address).reloading()
        let after = MonotonicInstant.now().nanoseconds / 1_000
        let message = try receiver.receive()
        let value = try #require(message.split(separator: "\n").last?.split(separator: "=").last.flatMap { Int64($0) })
        #expect(message.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        #expect((before...after).contains(value))
    }

    @Test("no NOTIFY_SOCKET means no notifier")
    func notUnderSystemd() {
        #expect(SystemdNotifier.fromEnvironment([:]) == nil)
        #expect(SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": ""]) == nil)
    }

    @Test("sending to a socket nobody listens on throws instead of crashing")
    func nobodyListening() {
        let notifier = SystemdNotifier(socketAddress: "/tmp/schedd-no-such-socket-\(UInt64.random(in: 0...UInt64.max))")
        #expect(throws: Errno.self) { try notifier.ready() }
    }

    @Test(
        "reads WATCHDOG_USEC, honouring WATCHDOG_PID",
        arguments: [
            (["WATCHDOG_USEC": "30000000"], Duration.seconds(30)),
            (["WATCHDOG_USEC": "500000", "WATCHDOG_PID": "42"], .milliseconds(500)),
            (["WATCHDOG_USEC": "500000", "WATCHDOG_PID": "43"], nil),
            (["WATCHDOG_USEC": "0"], nil),
            (["WATCHDOG_USEC": "soon"], nil),
            ([:], nil),
        ] as [([String: String], Duration?)]
    )
    func watchdogInterval(environment: [String: String], expected: Duration?) {
        #expect(SystemdNotifier.watchdogInterval(environment, processID: ProcessID(rawValue: 42)) == expected)
    }
}
