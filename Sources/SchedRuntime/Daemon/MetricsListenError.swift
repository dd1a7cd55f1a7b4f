public import SchedCore

/// `metrics_listen` could not be bound.
public struct MetricsListenError: Error, CustomStringConvertible {
    public var address: ListenAddress
    public var underlying: Errno

    public var description: String { "cannot listen on \(address) for metrics: \(underlying)" }
}
