// Notify: the sd_notify protocol, so systemd (`Type=notify`) knows when schedd is ready, reloading or
// stopping, and can run a watchdog.
//
// Design note
// - Protocol: each message is one datagram of newline-separated `KEY=value` assignments sent to the
//   AF_UNIX socket named by `$NOTIFY_SOCKET`: a filesystem path, or `@name` for the abstract namespace.
//   No reply; a missing socket (not under systemd) makes every call a no-op.
// - Values cannot contain newlines (they would start a new assignment); they are replaced by spaces.
// - `RELOADING=1` carries `MONOTONIC_USEC` (CLOCK_MONOTONIC in µs), which systemd 253+ requires for
//   `Type=notify-reload` and older versions ignore.

/// Sends sd_notify messages to systemd.
public struct SystemdNotifier: Sendable {
    /// The socket address: a path, or `@name` for an abstract socket.
    public let socketAddress: String

    /// A notifier for an explicit address (tests, or `$NOTIFY_SOCKET` read elsewhere).
    public init(socketAddress: String) {
        self.socketAddress = socketAddress
    }

    /// The notifier `$NOTIFY_SOCKET` asks for, or nil when the daemon does not run under systemd
    /// (unset or empty variable).
    public static func fromEnvironment(_ environment: [String: String] = ProcessEnvironment.all()) -> SystemdNotifier? {
        guard let address = environment["NOTIFY_SOCKET"], !address.isEmpty else { return nil }
        return SystemdNotifier(socketAddress: address)
    }

    // MARK: - Messages

    /// Sends `assignments` as one datagram: `KEY=value` lines in the given order.
    ///
    /// - Throws: `Errno` when the socket cannot be created or the send fails (ECONNREFUSED when nobody
    ///   listens, ENAMETOOLONG for an over-long path). EINTR is retried.
    public func send(_ assignments: KeyValuePairs<String, String>) throws(Errno) {
        let message = assignments.map { key, value in
            "\(key)=\(value.replacing("\n", with: " "))"
        }.joined(separator: "\n")
        let socket = try DatagramSocket()
        defer { socket.close() }
        try socket.send(message, to: socketAddress)
    }

    /// `READY=1`: start-up (or a reload) finished; optional `STATUS=` text for `systemctl status`.
    public func ready(status: String? = nil) throws(Errno) {
        if let status {
            try send(["READY": "1", "STATUS": status])
        } else {
            try send(["READY": "1"])
        }
    }

    /// `RELOADING=1` with `MONOTONIC_USEC=` (the reading `now`), before re-reading the configuration.
    /// Follow with `ready(status:)` when done, whether the reload succeeded or not.
    public func reloading(status: String? = nil, now: MonotonicInstant = .now()) throws(Errno) {
        let microseconds = String(now.nanoseconds / 1_000)
        if let status {
            try send(["RELOADING": "1", "MONOTONIC_USEC": microseconds, "STATUS": status])
        } else {
            try send(["RELOADING": "1", "MONOTONIC_USEC": microseconds])
        }
    }

    /// `STOPPING=1`: shutdown began (running jobs get their grace period).
    public func stopping(status: String? = nil) throws(Errno) {
        if let status {
            try send(["STOPPING": "1", "STATUS": status])
        } else {
            try send(["STOPPING": "1"])
        }
    }

    /// `STATUS=`: free-form one-line state for `systemctl status`.
    public func status(_ text: String) throws(Errno) {
        try send(["STATUS": text])
    }

    /// `WATCHDOG=1`: keep-alive; send at half of `watchdogInterval`.
    public func watchdog() throws(Errno) {
        try send(["WATCHDOG": "1"])
    }

    // MARK: - Watchdog interval

    /// The watchdog period systemd expects keep-alives within (`$WATCHDOG_USEC`), or nil when the watchdog
    /// is off, the value is malformed or zero, or `$WATCHDOG_PID` names another process.
    public static func watchdogInterval(
        _ environment: [String: String] = ProcessEnvironment.all(),
        processID: ProcessID = ProcessEnvironment.processID
    ) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else {
            return nil
        }
        if let pidText = environment["WATCHDOG_PID"], !pidText.isEmpty, pidText != processID.description {
            return nil
        }
        return .microseconds(microseconds)
    }
}
