public import SchedCore

/// What the control server asks the daemon to do: the seam between the socket and the scheduler.
///
/// Called on the event loop's thread, one request at a time per connection. The handler answers by
/// calling `reply` exactly once, on the loop thread — at once (list, status) or later (`run-now
/// --wait` when the run ends, `reload` when it is done). Later calls are ignored; a reply for a
/// client that has gone away is dropped. Authorization has already happened: mutating requests
/// only reach the handler from permitted peers.
public protocol ControlHandler: AnyObject {
    func handle(_ request: ControlRequest, from peer: PeerCredentials, reply: @escaping (ControlResponse) -> Void)
}
