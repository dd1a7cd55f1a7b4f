/// Why the daemon could not start or keep running.
public enum DaemonError: Error, CustomStringConvertible {
    /// A system call the daemon cannot work without failed (signalfd, epoll).
    case system(Errno)
    /// The control socket could not be set up.
    case controlSocket(ControlServerError)

    public var description: String {
        switch self {
        case .system(let error): "cannot run the event loop: \(error)"
        case .controlSocket(let error): error.description
        }
    }
}
