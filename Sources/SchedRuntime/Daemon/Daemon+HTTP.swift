public import SchedCore

// MARK: - HTTP checks

extension Daemon {
    /// Starts an `http` job's check. The HTTP helper subcommand does not exist yet, so every such run
    /// fails at once with a clear reason (and follows its retry policy like any failure).
    ///
    /// The seam for the HTTP job kind: start the helper here, `registerRun` it with a stop closure,
    /// and report its end with `finishRun(_:outcome:)` (filling `httpStatus` and `latency`).
    public func startHTTPCheck(_ request: RunRequest, check: HTTPCheck) {
        failToStart(request, reason: "HTTP checks are not supported yet")
    }
}
