import Testing

@testable import SchedRuntime

/// CRC-32C against its published check value and a bit-at-a-time reference.
@Suite struct CRC32CTests {
    /// The textbook bitwise CRC-32C.
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test("the check value of \"123456789\" is 0xE3069283")
    func checkValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test("slicing-by-8 agrees with the bitwise reference for every length up to 64 and random data")
    func matchesReference() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...64 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(CRC32C.checksum(bytes) == Self.reference(bytes), "length \(length)")
        }
        let large = (0..<10_007).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        #expect(CRC32C.checksum(large) == Self.reference(large))
    }
}
