/// One client connection's state, owned by `ControlServer` on the loop thread.
///
/// Invariants:
/// - At most one request is in flight (`awaitingReply`); further request lines wait in `input` and
///   the socket is not read meanwhile, so a client cannot make the daemon buffer unboundedly.
/// - `output[outputOffset...]` is what remains to be written; while it is non-empty the server
///   watches for writability instead of readability.
final class ControlConnection {
    /// The poller token, unique for the server's lifetime (never reused).
    let token: UInt64
    let descriptor: FileDescriptor
    let peer: PeerCredentials

    /// Bytes received and not yet consumed as request lines.
    var input: [UInt8] = []
    /// Bytes of responses not yet written, from `outputOffset`.
    var output: [UInt8] = []
    var outputOffset = 0

    /// A request was given to the handler and its reply has not come yet.
    var awaitingReply = false
    /// The client shut down its sending side (EOF).
    var inputClosed = false
    /// Stop serving once `output` has been written (after a fatal protocol error); the connection then
    /// drains.
    var closeAfterFlush = false
    /// The final answer was sent and the write side shut down; input is read and discarded until
    /// the client closes or goes idle. Closing with unread input would make the kernel reset the
    /// connection, and the client could lose that final answer.
    var draining = false
    /// Last progress in either direction, for the idle timeout.
    var lastActivity: MonotonicInstant
    /// The events the poller currently watches for.
    var interest: Epoll.Interest = .readable
    var idleTimer: EventLoop.TimerID?

    init(token: UInt64, descriptor: FileDescriptor, peer: PeerCredentials, now: MonotonicInstant) {
        self.token = token
        self.descriptor = descriptor
        self.peer = peer
        self.lastActivity = now
    }

    var hasPendingOutput: Bool { outputOffset < output.count }

    /// Queues one encoded response line.
    func enqueue(_ line: [UInt8]) {
        if outputOffset == output.count {
            output = line
            outputOffset = 0
        } else {
            output.append(contentsOf: line)
        }
    }

    /// Removes and returns the first complete line (without its newline), if any.
    func takeLine() -> ArraySlice<UInt8>? {
        guard let newline = input.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = input[..<newline]
        input.removeSubrange(...newline)
        return ArraySlice(line)
    }
}
