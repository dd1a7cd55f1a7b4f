import SchedCore

// MARK: - The control socket

extension Daemon {
    /// Starts listening on the config's `socket` (its folder created if missing), answering with a
    /// `DaemonControl`. Called by `run()` before READY=1, so systemd reports the service ready only
    /// once `schedctl` can reach it.
    ///
    /// - Throws: `ControlServerError` when the socket cannot be set up (another daemon listens on it,
    ///   the folder cannot be created): the daemon does not start.
    func startControlServer() throws(ControlServerError) {
        let settings = config.settings
        let path = settings.socketPath
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            do {
                try Directory.create(String(path[..<slash]), mode: 0o755)
            } catch {
                throw ControlServerError(code: .systemCall("creating its folder"), path: path, underlying: error)
            }
        }
        var groupID: UInt32?
        if let group = settings.socketGroup {
            groupID = try? GroupDatabase.groupID(named: group)
            if groupID == nil {
                logger.warning(
                    "socket_group_unknown",
                    ["group": .string(group), "socket": .string(path), "effect": "the socket keeps schedd's group"]
                )
            }
        }
        let control = DaemonControl(daemon: self)
        let server = ControlServer(
            configuration: ControlServerConfiguration(
                socketPath: path,
                socketMode: UInt32(settings.socketMode),
                socketGroupID: groupID
            ),
            authorization: ControlAuthorization(daemonUserID: CurrentUser.userID, groupID: groupID),
            loop: loop,
            handler: control,
            logger: logger
        )
        try server.start()
        addObserver(control)
        controlServer = server
        logger.info("control_listening", ["socket": .string(path)])
    }

    /// Closes the control socket and removes its file (at exit).
    func stopControlServer() {
        controlServer?.stop()
        controlServer = nil
    }
}
