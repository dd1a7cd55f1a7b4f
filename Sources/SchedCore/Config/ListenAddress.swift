/// A TCP address to listen on, as `metrics_listen` writes it: `"127.0.0.1:9464"` or `"[::1]:9464"`.
///
/// Only numeric addresses: a host name would need a resolver (and a lookup at every start), and an
/// exporter address is something an operator chooses deliberately. `0.0.0.0` / `[::]` are accepted: binding
/// every interface is a legitimate, explicit choice.
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Family: Hashable, Sendable {
        case ipv4
        case ipv6
    }

    /// The numeric host without brackets: `127.0.0.1`, `::1`.
    public var host: String
    public var port: UInt16
    public var family: Family

    public init(host: String, port: UInt16, family: Family) {
        self.host = host
        self.port = port
        self.family = family
    }

    /// `127.0.0.1:9464`, `[::1]:9464`.
    public var description: String {
        family == .ipv6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Parses `host:port`; nil with a reason when the text is not one.
    ///
    ///     address = ipv4 ":" port / "[" ipv6 "]" ":" port
    ///     port    = 1*5DIGIT, 1 ... 65535
    public static func parse(_ text: String) -> Result<ListenAddress, ListenAddressError> {
        guard let colon = text.lastIndex(of: ":") else { return .failure(.missingPort) }
        let hostPart = text[..<colon]
        let portText = text[text.index(after: colon)...]
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Int(portText), (1...65535).contains(number)
        else { return .failure(.badPort(String(portText))) }
        let port = UInt16(number)
        if hostPart.hasPrefix("[") {
            guard hostPart.hasSuffix("]"), hostPart.count > 2 else { return .failure(.badHost(String(hostPart))) }
            let host = String(hostPart.dropFirst().dropLast())
            guard isIPv6(host) else { return .failure(.badHost(host)) }
            return .success(ListenAddress(host: host, port: port, family: .ipv6))
        }
        let host = String(hostPart)
        if host.contains(":") { return .failure(.unbracketedIPv6(host)) }
        guard isIPv4(host) else { return .failure(.badHost(host)) }
        return .success(ListenAddress(host: host, port: port, family: .ipv4))
    }

    /// Dotted quad, each part 0–255 written without leading zeros (inet_pton's strict form).
    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber }
                    && (part.count == 1 || part.first != "0") && Int(part)! <= 255
            }
    }

    /// RFC 4291 text form: up to eight groups of 1–4 hex digits, at most one `::`, optionally ending in a
    /// dotted quad (counting as two groups).
    static func isIPv6(_ text: String) -> Bool {
        let halves = text.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return false }
        var groups = 0
        for (index, half) in halves.enumerated() where !half.isEmpty {
            let parts = half.split(separator: ":", omittingEmptySubsequences: false)
            for (position, part) in parts.enumerated() {
                let isLast = index == halves.count - 1 && position == parts.count - 1
                if isLast, part.contains(".") {
                    guard isIPv4(String(part)) else { return false }
                    groups += 2
                } else {
                    guard (1...4).contains(part.count), part.allSatisfy(\.isHexDigit) else { return false }
                    groups += 1
                }
            }
        }
        return halves.count == 2 ? groups <= 7 : groups == 8
    }
}

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

extension String {
    /// Splits at each `::` (a tiny helper, since the stdlib splits only on single elements).
    fileprivate func components(separatedByDoubleColon: Void) -> [Substring] {
        var result: [Substring] = []
        var start = startIndex
        var index = startIndex
        while index < endIndex {
            let next = self.index(after: index)
            if self[index] == ":", next < endIndex, self[next] == ":" {
                result.append(self[start..<index])
                start = self.index(after: next)
                index = start
            } else {
                index = next
            }
        }
        result.append(self[start...])
        return result
    }
}
