import Glibc

/// A close-on-exec Unix datagram socket used to send single messages (sd_notify).
struct DatagramSocket {
    let descriptor: FileDescriptor

    init() throws(Errno) {
        let fd = try valueOrErrno(socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0))
        descriptor = FileDescriptor(rawValue: fd)
    }

    /// Sends `message` as one datagram to `address` (a path, or `@name` for the abstract namespace).
    /// EINTR is retried. Throws `ENAMETOOLONG` when the address does not fit `sun_path`.
    func send(_ message: String, to address: String) throws(Errno) {
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(address.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }  // abstract: leading NUL, no terminator
        let capacity = MemoryLayout.size(ofValue: storage.sun_path)
        guard pathBytes.count < capacity else { throw Errno(rawValue: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        // A path address counts its NUL terminator (zeroed above); an abstract one is exactly its bytes.
        let isAbstract = pathBytes.first == 0
        let length = socklen_t(2 + pathBytes.count + (isAbstract ? 0 : 1))  // sun_family is 2 bytes
        var bytes = Array(message.utf8)
        _ = try withUnsafePointer(to: &storage) { (pointer) throws(Errno) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (address) throws(Errno) in
                try retryOnInterrupt {
                    sendto(descriptor.rawValue, &bytes, bytes.count, Int32(MSG_NOSIGNAL), address, length)
                }
            }
        }
    }

    func close() {
        descriptor.close()
    }
}
