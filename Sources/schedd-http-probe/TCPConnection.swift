import Glibc
import SchedTime

/// A connected TCP socket to the check's host, in blocking mode (the watchdog bounds every wait).
struct TCPConnection: ~Copyable {
    let descriptor: Int32
    /// The peer as `address:port` (`[v6]:port`), for messages.
    let peer: String

    /// Why a connection could not be made, as the probe reports it.
    enum Failure: Error {
        case resolution(String)
        case refused(peer: String)
        case timedOut
        case other(peer: String, error: String)
    }

    /// Resolves `host` and connects to each address in turn until one accepts.
    ///
    /// Each address gets an equal share of the time left (the last gets all of it), so a silently
    /// dropped IPv6 route does not use up the time an IPv4 address would have answered in.
    /// - Throws: `Failure.refused` when any address refused and none accepted, else the last error.
    static func connect(host: String, port: Int, deadline: ContinuousClock.Instant) throws(Failure) -> TCPConnection {
        ProbeReporter.enter(.resolving)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let detail = status == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(status))
            throw .resolution(detail)
        }
        defer { freeaddrinfo(list) }
        var addresses: [UnsafeMutablePointer<addrinfo>] = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let entry = next {
            addresses.append(entry)
            next = entry.pointee.ai_next
        }

        ProbeReporter.enter(.connecting)
        var refusedPeer: String?
        var lastFailure = Failure.timedOut
        for (index, entry) in addresses.enumerated() {
            let peer = describe(entry.pointee)
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { break }
            let share = left / (addresses.count - index)
            switch attempt(entry.pointee, within: share) {
            case .success(let descriptor):
                return TCPConnection(descriptor: descriptor, peer: peer)
            case .failure(let error) where error.code == ECONNREFUSED:
                refusedPeer = peer
            case .failure(let error) where error.code == ETIMEDOUT:
                lastFailure = .timedOut
            case .failure(let error):
                lastFailure = .other(peer: peer, error: error.message)
            }
        }
        if let refusedPeer { throw .refused(peer: refusedPeer) }
        throw lastFailure
    }

    /// One non-blocking connect, waited for with `poll`; on success the socket is made blocking again.
    private static func attempt(_ address: addrinfo, within limit: Duration) -> Result<Int32, SystemError> {
        let flags = Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let descriptor = socket(address.ai_family, address.ai_socktype | flags, address.ai_protocol)
        guard descriptor >= 0 else { return .failure(SystemError(errno)) }
        var result = Glibc.connect(descriptor, address.ai_addr, address.ai_addrlen)
        if result != 0 && errno == EINPROGRESS {
            var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let milliseconds = Int32(clamping: max(1, limit.totalNanoseconds / 1_000_000))
            repeat {
                result = poll(&entry, 1, milliseconds)
            } while result < 0 && errno == EINTR
            if result == 0 {
                close(descriptor)
                return .failure(SystemError(ETIMEDOUT))
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
            result = error == 0 ? 0 : -1
            errno = error
        }
        guard result == 0 else {
            let error = errno
            close(descriptor)
            return .failure(SystemError(error))
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return .success(descriptor)
    }

    /// `address:port` with numeric host and service.
    private static func describe(_ address: addrinfo) -> String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        guard
            getnameinfo(
                address.ai_addr,
                address.ai_addrlen,
                &host,
                socklen_t(host.count),
                &service,
                socklen_t(service.count),
                NI_NUMERICHOST | NI_NUMERICSERV
            ) == 0
        else { return "?" }
        func text(_ characters: [CChar]) -> String {
            String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let name = text(host)
        return (address.ai_family == AF_INET6 ? "[\(name)]" : name) + ":" + text(service)
    }

    // MARK: - Transfer

    /// Sends all of `bytes`.
    func send(_ bytes: [UInt8]) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw SystemError(errno)
            }
            offset += sent
        }
    }

    /// Reads up to `buffer.count` bytes; 0 at end of stream.
    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        while true {
            let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count >= 0 { return count }
            if errno != EINTR { throw SystemError(errno) }
        }
    }

    deinit {
        close(descriptor)
    }
}

/// An `errno` value as an error.
struct SystemError: Error, Equatable {
    var code: Int32

    init(_ code: Int32) {
        self.code = code
    }

    /// The system's message ("Connection reset by peer").
    var message: String { String(cString: strerror(code)) }
}
