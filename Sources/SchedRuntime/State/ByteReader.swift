import SchedTime

/// Reads what `ByteWriter` wrote, from a borrowed buffer. Every read checks bounds and throws
/// `ByteReader.Truncated` past the end, so a damaged payload can never crash the daemon.
struct ByteReader {
    /// Reading ran past the end of the buffer, or a value was out of range.
    struct Malformed: Error {}

    let buffer: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    var remaining: Int { buffer.count - offset }
    var isAtEnd: Bool { offset >= buffer.count }

    mutating func readByte() throws(Malformed) -> UInt8 {
        guard offset < buffer.count else { throw Malformed() }
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func readUInt32() throws(Malformed) -> UInt32 {
        guard remaining >= 4 else { throw Malformed() }
        defer { offset += 4 }
        return UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func readUInt64() throws(Malformed) -> UInt64 {
        guard remaining >= 8 else { throw Malformed() }
        defer { offset += 8 }
        return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func readInstant() throws(Malformed) -> Instant {
        Instant(nanosecondsSinceEpoch: Int64(bitPattern: try readUInt64()))
    }

    mutating func readVarint() throws(Malformed) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64 else { throw Malformed() }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    mutating func readSignedVarint() throws(Malformed) -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// A varint that must fit an `Int` count no larger than what is left to read (each counted
    /// item takes at least a byte), so a corrupt count cannot ask for a huge allocation.
    mutating func readCount() throws(Malformed) -> Int {
        let value = try readVarint()
        guard value <= UInt64(remaining) else { throw Malformed() }
        return Int(value)
    }

    /// A varint that must fit an `Int`.
    mutating func readInt() throws(Malformed) -> Int {
        let value = try readSignedVarint()
        guard let result = Int(exactly: value) else { throw Malformed() }
        return result
    }

    mutating func readString() throws(Malformed) -> String {
        let count = try readCount()
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count]), as: UTF8.self)
    }
}
