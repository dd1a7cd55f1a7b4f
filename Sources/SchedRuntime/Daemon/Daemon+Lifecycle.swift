import SchedCore
import SchedTime

// MARK: - Signals, shutdown and reload

extension Daemon {
    /// Dispatches a signal from the signalfd.
    func handle(_ signal: Signal) {
        switch signal {
        case .terminate, .interrupt:
            beginShutdown(signal: signal)
        case .hangup:
            guard phase == .running else { return }
            reload()
        case .child:
            // pidfds report exits; this covers runs whose pidfd could not be opened.
            runner.reapExitedChildren()
        default:
            break
        }
    }

    // MARK: - Shutdown

    /// Graceful shutdown: stop starting runs, `STOPPING=1`, give running jobs `shutdown_grace`, then
    /// stop their process groups (TERM, then KILL after each job's `kill_grace`). The loop ends once
    /// every run has been reported. A second SIGTERM/SIGINT stops the runs at once.
    public func beginShutdown(signal: Signal? = nil) {
        if phase == .stopping {
            guard !isShutdownForced else { return }
            isShutdownForced = true
            logger.notice("shutdown_forced", ["running": .integer(Int64(activeRuns.count))])
            stopAllRuns(reason: "shutdown")
            return
        }
        phase = .stopping
        rearmAlarm()  // disarms: nothing fires while stopping
        let grace = config.settings.shutdownGrace
        logger.notice(
            "shutdown_started",
            [
                "signal": .string(signal?.description ?? "none"), "running": .integer(Int64(activeRuns.count)),
                "grace_ms": .integer(grace.totalNanoseconds / 1_000_000),
            ]
        )
        let status = activeRuns.isEmpty ? "stopping" : "stopping; waiting for \(activeRuns.count) running jobs"
        notify { notifier throws(Errno) in try notifier.stopping(status: status) }
        for observer in observers { observer.daemonWillStop(self) }
        if activeRuns.isEmpty {
            loop.stop()
            return
        }
        shutdownTimer = loop.scheduleTimer(after: grace) { [unowned self] in
            logger.notice("shutdown_grace_elapsed", ["running": .integer(Int64(activeRuns.count))])
            stopAllRuns(reason: "shutdown")
        }
    }

    /// Stops every run in flight; each is still reported through `finishRun`.
    func stopAllRuns(reason: String) {
        for handle in Array(activeRuns.values) {
            handle.stop(reason)
        }
    }

    // MARK: - Reload

    /// Re-reads the config. With errors, logs every one and keeps the old schedule untouched; else
    /// applies it through the core (runs in flight continue) and logs what changed. Sends
    /// `RELOADING=1` before and `READY=1` after, either way.
    @discardableResult
    public func reload() -> ReloadOutcome {
        notify { notifier throws(Errno) in try notifier.reloading() }
        // Parsing and diffing a large config allocates megabytes that are garbage once applied.
        defer { Allocator.releaseFreeMemory() }
        let now = WallClock.now()
        let result = Daemon.adjust(loader.load(path: configPath, now: now), environment: environment)
        guard let newConfig = result.config else {
            logDiagnostics(result.errors)
            logger.error(
                "reload_failed",
                ["errors": .integer(Int64(result.errors.count)), "config": .string(configPath)]
            )
            let count = result.errors.count
            notifyReady(prefix: "reload failed (\(count) \(count == 1 ? "error" : "errors")); ")
            let outcome = ReloadOutcome.failed(result.errors)
            for observer in observers { observer.daemon(self, didReload: outcome) }
            return outcome
        }
        logDiagnostics(result.diagnostics)
        if newConfig.settings.socketPath != config.settings.socketPath {
            logger.warning(
                "restart_needed",
                ["setting": "socket", "reason": "the control socket moves only when schedd restarts"]
            )
        }
        let (diff, actions) = core.apply(config: newConfig, now: now)
        config = newConfig
        historyLimits = Daemon.historyLimits(newConfig)
        logger = fixedLogger ?? Daemon.makeLogger(newConfig.settings, environment: environment)
        history.removeJobs(diff.removed)
        applyConfigToState(newConfig, now: now)
        var fields: [(key: String, value: LogValue)] = [
            ("added", .integer(Int64(diff.added.count))), ("replaced", .integer(Int64(diff.replaced.count))),
            ("removed", .integer(Int64(diff.removed.count))), ("unchanged", .integer(Int64(diff.unchanged.count))),
        ]
        for (name, ids) in [
            ("added_jobs", diff.added), ("replaced_jobs", diff.replaced), ("removed_jobs", diff.removed),
        ]
        where !ids.isEmpty {
            fields.append((name, .string(ids.joined(separator: ","))))
        }
        logger.log(.notice, "reloaded", fields: fields)
        logConfigWarnings(newConfig)
        perform(actions)
        notifyReady()
        let outcome = ReloadOutcome.applied(diff)
        for observer in observers { observer.daemon(self, didReload: outcome) }
        return outcome
    }
}
