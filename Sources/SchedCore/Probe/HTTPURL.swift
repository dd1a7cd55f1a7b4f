// Probe: the HTTP health check's request, result and verdict, shared by the config validator, the
// daemon's launcher and the two probe executables.
//
// Design note
// - The check runs in a child process (`schedd-http-probe`, which execs `schedd-https-probe` for TLS),
//   so nothing here does I/O: these types turn a configured `HTTPCheck` into the probe's argv and
//   environment, judge a response against the expectations, and carry the verdict back as one JSON line.
// - Every failure has a kind (`ProbeResult.FailureKind`) for programs and a sentence (`reason`) for
//   people; both probes build the sentences here so plain HTTP and HTTPS read the same.

/// An `http://` or `https://` URL taken apart for an HTTP/1.1 request line.
///
/// Only what a health check needs: scheme, host (name, IPv4 or bracketed IPv6 literal), port, and the
/// origin-form request target (path and query). Credentials in the URL are rejected (they would show in
/// `ps`; send an `Authorization` header instead); a fragment is dropped, as browsers do.
public struct HTTPURL: Hashable, Sendable {
    public enum Scheme: String, Hashable, Sendable {
        case http
        case https

        public var defaultPort: Int { self == .http ? 80 : 443 }
    }

    public var scheme: Scheme
    /// Host name or address literal, without the brackets of an IPv6 literal.
    public var host: String
    public var port: Int
    /// The request target in origin form: `/path?query`, at least `/`. Bytes outside ASCII are
    /// percent-encoded.
    public var target: String

    /// The `Host` header value: the host, bracketed when it is an IPv6 literal, with the port when it
    /// is not the scheme's default.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == scheme.defaultPort ? name : "\(name):\(port)"
    }

    /// Parses `text`.
    ///
    /// Grammar (RFC 3986, restricted): `scheme "://" host [":" port] [path] ["?" query] ["#" fragment]`,
    /// where `host` is a registered name or `"[" IPv6 "]"`, and `port` is 1–65535.
    /// - Throws: `HTTPURLError` with the 1-based column of the offending character.
    public init(parsing text: String) throws(HTTPURLError) {
        let scalars = Array(text.unicodeScalars)
        func fail(_ message: String, at index: Int) -> HTTPURLError {
            HTTPURLError(message: message, column: index + 1)
        }

        // 1. Scheme.
        guard let colon = scalars.firstIndex(of: ":"),
            let scheme = Scheme(rawValue: String(String.UnicodeScalarView(scalars[..<colon])).lowercased()),
            scalars.count >= colon + 3, scalars[colon + 1] == "/", scalars[colon + 2] == "/"
        else {
            throw fail("URL must start with http:// or https://", at: 0)
        }
        var index = colon + 3

        // 2. Authority: everything up to the first '/', '?' or '#'.
        let authorityStart = index
        while index < scalars.count, !["/", "?", "#"].contains(scalars[index]) { index += 1 }
        let authority = Array(scalars[authorityStart..<index])
        if let at = authority.firstIndex(of: "@") {
            throw fail(
                "credentials in the URL are not supported; send an 'Authorization' header instead",
                at: authorityStart + at
            )
        }
        var host: String
        var portText: ArraySlice<Unicode.Scalar> = []
        var portStart = 0
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else {
                throw fail("IPv6 address without a closing ']'", at: authorityStart)
            }
            let literal = authority[1..<close]
            guard !literal.isEmpty, literal.allSatisfy({ $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." })
            else {
                throw fail("invalid IPv6 address", at: authorityStart + 1)
            }
            host = String(String.UnicodeScalarView(literal))
            let rest = authority[(close + 1)...]
            if let first = rest.first {
                guard first == ":" else { throw fail("expected ':' or '/' after ']'", at: authorityStart + close + 1) }
                portText = rest.dropFirst()
                portStart = authorityStart + close + 2
            }
        } else {
            let colon = authority.firstIndex(of: ":")
            let name = authority[..<(colon ?? authority.count)]
            if let bad = name.firstIndex(where: { !Self.isHostCharacter($0) }) {
                throw fail("invalid character '\(authority[bad])' in the host name", at: authorityStart + bad)
            }
            host = String(String.UnicodeScalarView(name)).lowercased()
            if let colon {
                portText = authority[(colon + 1)...]
                portStart = authorityStart + colon + 1
            }
        }
        guard !host.isEmpty else { throw fail("URL has no host", at: authorityStart) }
        var port = scheme.defaultPort
        if authority.last == ":" && portText.isEmpty {
            // "http://host:/" means the default port (RFC 3986 section 3.2.3).
        } else if !portText.isEmpty || portStart > 0 {
            guard portText.count <= 5, portText.allSatisfy({ ("0"..."9").contains($0) }),
                let number = Int(String(String.UnicodeScalarView(portText))), (1...65535).contains(number)
            else {
                throw fail("invalid port; expected a number from 1 to 65535", at: portStart)
            }
            port = number
        }

        // 3. Path and query, up to an optional fragment. Spaces and control characters cannot travel in
        //    a request line; other bytes outside ASCII are percent-encoded.
        var target = ""
        while index < scalars.count, scalars[index] != "#" {
            let scalar = scalars[index]
            if scalar.value <= 0x20 || scalar.value == 0x7F {
                throw fail(
                    scalar == " " ? "URL contains a space; write it as %20" : "URL contains a control character",
                    at: index
                )
            }
            if scalar.isASCII {
                target.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 {
                    target += "%" + Self.hexDigits[Int(byte >> 4)] + Self.hexDigits[Int(byte & 0xF)]
                }
            }
            index += 1
        }
        if target.isEmpty || target.first == "?" { target = "/" + target }

        self.scheme = scheme
        self.host = host
        self.port = port
        self.target = target
    }

    private static let hexDigits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]

    /// RFC 3986 `reg-name` characters: unreserved, sub-delims and percent signs.
    private static func isHostCharacter(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { return true }
        return "-._~%!$&'()*+,;=".unicodeScalars.contains(scalar)
    }
}

/// Why a URL cannot be used for a health check.
public struct HTTPURLError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// 1-based column (in Unicode scalars) inside the URL text.
    public var column: Int

    public init(message: String, column: Int) {
        self.message = message
        self.column = column
    }

    public var description: String { message }
}
