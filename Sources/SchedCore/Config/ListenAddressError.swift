/// Why a `metrics_listen` value is not an address.
public enum ListenAddressError: Error, Hashable, Sendable, CustomStringConvertible {
    case missingPort
    case badPort(String)
    case badHost(String)
    case unbracketedIPv6(String)

    public var description: String {
        switch self {
        case .missingPort: "expected host:port like \"127.0.0.1:9464\""
        case .badPort(let port): "invalid port '\(port)'; expected 1-65535"
        case .badHost(let host): "'\(host)' is not a numeric IPv4 or IPv6 address (host names are not resolved)"
        case .unbracketedIPv6(let host): "write an IPv6 address in brackets: \"[\(host)]:port\""
        }
    }
}
