import SchedCore
public import SchedTime

// MARK: - systemd notifications

extension Daemon {
    /// The `STATUS=` text: job count and the next firing (`12 jobs; next: backup in 3h 2m`).
    public func statusText(now: Instant = WallClock.now()) -> String {
        var next: (job: String, at: Instant)?
        for status in core.jobStatuses {
            guard let at = status.next else { continue }
            if next == nil || at < next!.at { next = (status.id, at) }
        }
        return StatusText.summary(jobCount: core.jobCount, next: next, now: now)
    }

    /// `READY=1` with the current status (after start-up and after every reload attempt).
    func notifyReady(prefix: String = "") {
        guard notifier != nil else { return }
        let status = prefix + statusText()
        lastStatus = status
        notify { notifier throws(Errno) in try notifier.ready(status: status) }
    }

    /// Sends `STATUS=` when the text changed since the last one (a run started, the next job changed).
    /// Only under systemd: computing it scans every job.
    func publishStatusIfChanged() {
        guard notifier != nil, phase == .running else { return }
        let status = statusText()
        guard status != lastStatus else { return }
        lastStatus = status
        notify { notifier throws(Errno) in try notifier.status(status) }
    }

    /// `WATCHDOG=1` every half `$WATCHDOG_USEC`, when systemd asked for a watchdog.
    func startWatchdog() {
        guard notifier != nil, let interval = SystemdNotifier.watchdogInterval(environment) else { return }
        let period = interval / 2
        logger.info("watchdog_enabled", ["period_ms": .integer(period.totalNanoseconds / 1_000_000)])
        func ping() {
            notify { notifier throws(Errno) in try notifier.watchdog() }
            loop.scheduleTimer(after: period) { ping() }
        }
        ping()
    }

    /// Sends one notification; a failure is logged and otherwise ignored (systemd may be gone).
    func notify(_ send: (SystemdNotifier) throws(Errno) -> Void) {
        guard let notifier else { return }
        do {
            try send(notifier)
        } catch {
            logger.warning("notify_failed", ["error": .string(error.description)])
        }
    }
}
