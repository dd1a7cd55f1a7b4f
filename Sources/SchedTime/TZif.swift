/// Reader for TZif files (RFC 8536), the compiled zone data under `/usr/share/zoneinfo`.
///
/// Layout: a 44-byte header (`TZif`, version, six big-endian counts) and a data block with 32-bit
/// times; for versions 2 and later a second header and block with 64-bit times follow, then a
/// newline-framed POSIX TZ footer. We read the 64-bit block whenever it exists (v1 data stops in
/// 2038) and ignore the leap-second table and the standard/wall and UT/local indicators, which
/// only matter for POSIX-rule emulation of old `zic` output and for `right/` zones.
///
/// The result is flattened into `ZoneTable`: transitions whose offset does not change (only the
/// abbreviation or DST flag does) are dropped, and the footer rule is expanded into explicit
/// transitions up to the end of `Instant`'s range (year 2262), so lookups never evaluate a rule.
enum TZif {
    /// Why bytes are not valid TZif data, for `ZoneError.detail`.
    struct FormatError: Error {
        var detail: String
    }

    /// Decodes a whole TZif file.
    static func table(from bytes: [UInt8]) throws(FormatError) -> ZoneTable {
        var reader = ByteReader(bytes: bytes)
        let first = try Header(reading: &reader)
        var header = first
        var timeSize = 4
        if first.version >= 2 {
            // Skip the v1 block: its 32-bit data is superseded by the 64-bit block that follows.
            try reader.skip(first.dataLength(timeSize: 4))
            header = try Header(reading: &reader)
            timeSize = 8
        }

        // 1. Transition times and the index of the local time type each one starts.
        var times: [Int64] = []
        times.reserveCapacity(header.timeCount)
        for _ in 0..<header.timeCount {
            let time = timeSize == 8 ? try reader.int64() : Int64(try reader.int32())
            if let last = times.last, time <= last {
                throw FormatError(detail: "transition times are not increasing")
            }
            times.append(time)
        }
        var typeIndices: [Int] = []
        typeIndices.reserveCapacity(header.timeCount)
        for _ in 0..<header.timeCount {
            let index = Int(try reader.uint8())
            guard index < header.typeCount else { throw FormatError(detail: "transition names type \(index)") }
            typeIndices.append(index)
        }

        // 2. Local time types: only the UT offset matters here.
        var typeOffsets: [Int32] = []
        for _ in 0..<header.typeCount {
            let offset = try reader.int32()
            guard offset != Int32.min, abs(offset) < 7 * 86_400 else {
                throw FormatError(detail: "implausible UT offset \(offset)")
            }
            typeOffsets.append(offset)
            try reader.skip(2)  // isdst, abbreviation index
        }
        try reader.skip(
            header.charCount + header.leapCount * (timeSize + 4) + header.standardWallCount + header.universalLocalCount
        )

        // 3. The footer (v2+): "\n<POSIX TZ rule>\n", the rule possibly empty.
        var rule: POSIXTimeZoneRule?
        if header.version >= 2 {
            guard try reader.uint8() == UInt8(ascii: "\n") else { throw FormatError(detail: "missing footer") }
            let footer = try reader.bytes(upTo: UInt8(ascii: "\n"))
            if !footer.isEmpty {
                let text = String(decoding: footer, as: UTF8.self)
                guard let parsed = POSIXTimeZoneRule(text) else {
                    throw FormatError(detail: "cannot read footer rule '\(text)'")
                }
                rule = parsed
            }
        }

        // 4. Flatten. Type 0 applies before the first transition (RFC 8536 section 3.2).
        var table = ZoneTable(initialOffset: UTCOffset(seconds: typeOffsets[0]))
        for (time, typeIndex) in zip(times, typeIndices) {
            table.append(time: time, offset: typeOffsets[typeIndex])
        }
        if let rule {
            table.extend(with: rule, after: times.last)
        }
        return table
    }

    /// The six counts of a TZif header, in file order.
    private struct Header {
        var version: Int
        var universalLocalCount: Int
        var standardWallCount: Int
        var leapCount: Int
        var timeCount: Int
        var typeCount: Int
        var charCount: Int

        init(reading reader: inout ByteReader) throws(FormatError) {
            guard try reader.bytes(count: 4) == Array("TZif".utf8) else {
                throw FormatError(detail: "not a TZif file (bad magic)")
            }
            let versionByte = try reader.uint8()
            switch versionByte {
            case 0: version = 1
            case UInt8(ascii: "2"): version = 2
            case UInt8(ascii: "3"): version = 3
            case UInt8(ascii: "4"): version = 4
            default: throw FormatError(detail: "unknown TZif version byte \(versionByte)")
            }
            try reader.skip(15)
            universalLocalCount = try reader.count()
            standardWallCount = try reader.count()
            leapCount = try reader.count()
            timeCount = try reader.count()
            typeCount = try reader.count()
            charCount = try reader.count()
            guard typeCount >= 1 else { throw FormatError(detail: "no local time types") }
        }

        /// Bytes in the data block that follows this header.
        func dataLength(timeSize: Int) -> Int {
            timeCount * timeSize + timeCount + typeCount * 6 + charCount + leapCount * (timeSize + 4)
                + standardWallCount + universalLocalCount
        }
    }
}

/// Big-endian reads with bounds checks that throw instead of trapping on truncated files.
private struct ByteReader {
    let bytes: [UInt8]
    var position = 0

    mutating func bytes(count: Int) throws(TZif.FormatError) -> [UInt8] {
        guard count >= 0, count <= bytes.count - position else { throw TZif.FormatError(detail: "file is truncated") }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// The bytes before the next `terminator`, consuming the terminator too.
    mutating func bytes(upTo terminator: UInt8) throws(TZif.FormatError) -> [UInt8] {
        guard let end = bytes[position...].firstIndex(of: terminator) else {
            throw TZif.FormatError(detail: "footer is not terminated")
        }
        defer { position = end + 1 }
        return Array(bytes[position..<end])
    }

    mutating func skip(_ count: Int) throws(TZif.FormatError) {
        guard count >= 0, count <= bytes.count - position else { throw TZif.FormatError(detail: "file is truncated") }
        position += count
    }

    mutating func uint8() throws(TZif.FormatError) -> UInt8 {
        guard position < bytes.count else { throw TZif.FormatError(detail: "file is truncated") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint32() throws(TZif.FormatError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 { value = value << 8 | UInt32(try uint8()) }
        return value
    }

    mutating func int32() throws(TZif.FormatError) -> Int32 { Int32(bitPattern: try uint32()) }

    mutating func int64() throws(TZif.FormatError) -> Int64 {
        let high = UInt64(try uint32())
        let low = UInt64(try uint32())
        return Int64(bitPattern: high << 32 | low)
    }

    /// A header count; refuses absurd values so a corrupt file cannot request huge allocations.
    mutating func count() throws(TZif.FormatError) -> Int {
        let value = try uint32()
        guard value <= 1_000_000 else { throw TZif.FormatError(detail: "implausible count \(value)") }
        return Int(value)
    }
}
