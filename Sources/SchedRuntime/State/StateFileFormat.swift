// MARK: - Design note: the state files
//
// Two files under `state_dir`, both starting with a 16-byte header: an 8-byte magic naming the
// file's role, a little-endian UInt32 format version, 4 reserved zero bytes.
//
//   state.snapshot   header, then ONE frame holding the whole state as of journal sequence S.
//                    Replaced only by write-temp → fsync → rename → fsync(dir): old or new, never torn.
//   state.journal    header, then frames appended one per flush, each with a sequence number
//                    (S+1, S+2, …) and the entries of that flush. Appended with write + fdatasync.
//
// A frame is `[UInt32 payload length][UInt32 CRC-32C of the payload][payload]`. A journal frame's
// payload is `[UInt64 sequence][varint entry count][entries]`: one flush is all-or-nothing, so a
// run record never survives a crash without the job state written beside it.
//
// Loading reads the snapshot, then replays journal frames with a sequence above the snapshot's
// (older ones are left over from a compaction interrupted between its two renames). It stops at the
// first frame that is incomplete (a torn tail from a crash mid-append: expected, truncated away with a
// warning) or fails its checksum while complete (real damage: the journal is copied aside for
// inspection and truncated to its last good frame, with a loud error). A file with a wrong magic or
// version, or a snapshot that does not decode, is renamed aside (`*.corrupt-UNIXTIME`) and the daemon
// starts from what is left — it never refuses to start, and never crash-loops, because of its state.

/// Byte layout constants and frame scanning for the state files.
enum StateFileFormat {
    /// The format version this build reads and writes.
    static let version: UInt32 = 1
    static let snapshotMagic: [UInt8] = Array("SCHEDDSN".utf8)
    static let journalMagic: [UInt8] = Array("SCHEDDJL".utf8)
    static let headerSize = 16
    static let frameHeaderSize = 8
    /// Larger frames are taken for damage (a snapshot of 10,000 jobs × 100 runs is ~40 MB).
    static let maxFrameLength = 1 << 30

    static func header(magic: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: headerSize)
        writer.bytes += magic
        writer.write(version)
        writer.write(0 as UInt32)
        return writer.bytes
    }

    /// What the first bytes of a state file say.
    enum HeaderCheck: Equatable {
        case valid
        /// Not one of our files (or its first bytes are damaged).
        case wrongMagic
        /// Ours, but another format version (a newer schedd wrote it, or an old one we no longer read).
        case wrongVersion(UInt32)
    }

    static func checkHeader(_ bytes: UnsafeRawBufferPointer, magic: [UInt8]) -> HeaderCheck {
        guard bytes.count >= headerSize, magic.indices.allSatisfy({ bytes[$0] == magic[$0] }) else {
            return .wrongMagic
        }
        let version = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        return version == Self.version ? .valid : .wrongVersion(version)
    }

    /// Why a scan of frames stopped.
    enum ScanEnd: Equatable {
        /// Every byte belonged to a valid frame.
        case clean
        /// The last frame is incomplete: a crash mid-append. Harmless.
        case tornTail
        /// A complete frame failed its checksum (or was absurdly long): damage.
        case corrupt
    }

    /// Walks the frames of `bytes` from `offset`, calling `body` with each valid payload until it
    /// returns false. Returns where the valid frames end and why the scan stopped.
    static func scanFrames(
        _ bytes: UnsafeRawBufferPointer,
        from offset: Int,
        _ body: (UnsafeRawBufferPointer) -> Bool
    ) -> (validLength: Int, end: ScanEnd) {
        var offset = offset
        while offset < bytes.count {
            guard bytes.count - offset >= frameHeaderSize else { return (offset, .tornTail) }
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            let checksum = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            guard length <= maxFrameLength else { return (offset, .corrupt) }
            let start = offset + frameHeaderSize
            guard bytes.count - start >= length else { return (offset, .tornTail) }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[start..<start + length])
            guard CRC32C.checksum(payload) == checksum else {
                // An incomplete last write can also look like this when the length field landed
                // but the payload did not fully; only a frame that ends exactly at the end of the
                // file is given that benefit of the doubt.
                return (offset, start + length == bytes.count ? .tornTail : .corrupt)
            }
            guard body(payload) else { return (offset, .corrupt) }
            offset = start + length
        }
        return (offset, .clean)
    }

    /// Appends a frame around the payload `body` writes.
    static func appendFrame(to writer: inout ByteWriter, _ body: (inout ByteWriter) -> Void) {
        let headerOffset = writer.bytes.count
        writer.write(0 as UInt32)
        writer.write(0 as UInt32)
        body(&writer)
        let payloadStart = headerOffset + frameHeaderSize
        let length = writer.bytes.count - payloadStart
        let checksum = writer.bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[payloadStart...]))
        }
        writer.patch(UInt32(length), at: headerOffset)
        writer.patch(checksum, at: headerOffset + 4)
    }
}
