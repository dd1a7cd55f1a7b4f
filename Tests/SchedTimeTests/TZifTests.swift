import Glibc
import Testing

@testable import SchedTime

/// Builds TZif bytes for tests (RFC 8536 layout, all big-endian).
struct TZifBuilder {
    struct LocalTimeType {
        var offset: Int32
        var isDaylight: Bool
        var abbreviation: String
    }

    var transitions: [(time: Int64, type: UInt8)] = []
    var types: [LocalTimeType] = [LocalTimeType(offset: 0, isDaylight: false, abbreviation: "UTC")]

    /// Version-1 file: one header and a 32-bit block.
    func version1() -> [UInt8] {
        header(version: 0) + block(timeSize: 4)
    }

    /// Version-2+ file: a v1 part (optionally replaced to prove it is skipped), the 64-bit part and
    /// the footer.
    func version2(versionByte: UInt8 = UInt8(ascii: "2"), footer: String, decoyVersion1: TZifBuilder? = nil)
        -> [UInt8]
    {
        let v1 = decoyVersion1 ?? self
        return v1.header(version: versionByte) + v1.block(timeSize: 4) + header(version: versionByte)
            + block(timeSize: 8) + Array("\n\(footer)\n".utf8)
    }

    private var characters: [UInt8] {
        types.flatMap { Array($0.abbreviation.utf8) + [0] }
    }

    private func header(version: UInt8) -> [UInt8] {
        var bytes = Array("TZif".utf8) + [version] + [UInt8](repeating: 0, count: 15)
        for count in [0, 0, 0, transitions.count, types.count, characters.count] {
            bytes += bigEndian(UInt64(count), size: 4)
        }
        return bytes
    }

    private func block(timeSize: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for transition in transitions { bytes += bigEndian(UInt64(bitPattern: transition.time), size: timeSize) }
        bytes += transitions.map(\.type)
        var characterIndex = 0
        for type in types {
            bytes += bigEndian(UInt64(bitPattern: Int64(type.offset)), size: 4)
            bytes += [type.isDaylight ? 1 : 0, UInt8(characterIndex)]
            characterIndex += type.abbreviation.utf8.count + 1
        }
        return bytes + characters
    }

    private func bigEndian(_ value: UInt64, size: Int) -> [UInt8] {
        (0..<size).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}

/// A fresh folder under /tmp, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        var template = Array("/tmp/schedtime-tests-XXXXXX".utf8CString)
        let result = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        try #require(result != nil)
        path = String(cString: template)
    }

    func write(_ bytes: [UInt8], to name: String) throws {
        let file = path + "/" + name
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        try #require(written == bytes.count)
    }

    func makeFolder(_ name: String) {
        mkdir(path + "/" + name, 0o755)
    }

    func remove(_ names: [String]) {
        for name in names.reversed() { Glibc.remove(path + "/" + name) }
        rmdir(path)
    }
}

@Suite struct TZifTests {
    static let twoTypes = TZifBuilder(
        transitions: [(1_000_000, 1), (2_000_000, 0), (3_000_000, 1)],
        types: [
            .init(offset: 3600, isDaylight: false, abbreviation: "AAA"),
            .init(offset: 7200, isDaylight: true, abbreviation: "BBB"),
        ]
    )

    @Test("reads a version-1 file written to disk, by path and by name")
    func version1File() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove(["Test", "Test/One"]) }
        folder.makeFolder("Test")
        try folder.write(Self.twoTypes.version1(), to: "Test/One")

        let zone = try Zone.load(contentsOf: folder.path + "/Test/One", identifier: "Test/One")
        #expect(zone.identifier == "Test/One")
        #expect(zone.offset(at: Instant(secondsSinceEpoch: 0)).seconds == 3600)
        #expect(zone.offset(at: Instant(secondsSinceEpoch: 999_999)).seconds == 3600)
        #expect(zone.offset(at: Instant(secondsSinceEpoch: 1_000_000)).seconds == 7200)
        #expect(zone.offset(at: Instant(secondsSinceEpoch: 2_500_000)).seconds == 3600)
        // No footer in v1: the last type stays in force for ever.
        #expect(zone.offset(at: Instant(secondsSinceEpoch: 9_000_000_000)).seconds == 7200)
        #expect(zone.nextTransition(after: Instant(secondsSinceEpoch: 3_000_000)) == nil)

        let byName = try Zone.named("Test/One", searching: [folder.path])
        #expect(byName.offset(at: Instant(secondsSinceEpoch: 1_500_000)).seconds == 7200)
        // Cached: the second lookup returns the very same object, without reading the file.
        folder.remove(["Test/One"])
        #expect(try Zone.named("Test/One", searching: [folder.path]) === byName)
    }

    @Test("uses the 64-bit block of a version-2 file and ignores the version-1 block")
    func version2UsesSecondBlock() throws {
        let decoy = TZifBuilder(
            transitions: [],
            types: [.init(offset: -36_000, isDaylight: false, abbreviation: "XXX")]
        )
        let bytes = Self.twoTypes.version2(footer: "", decoyVersion1: decoy)
        let zone = try Zone(tzifData: bytes, identifier: "Two")
        #expect(zone.offset(at: Instant(secondsSinceEpoch: 1_500_000)).seconds == 7200)
        #expect(zone.offset(at: Instant(secondsSinceEpoch: 0)).seconds == 3600)
    }

    @Test("64-bit times reach beyond 2038")
    func sixtyFourBitTimes() throws {
        var builder = Self.twoTypes
        builder.transitions = [(-5_000_000_000, 1), (5_000_000_000, 0)]
        let zone = try Zone(tzifData: builder.version2(versionByte: UInt8(ascii: "3"), footer: ""), identifier: "Wide")
        #expect(zone.offset(at: Instant(secondsSinceEpoch: -6_000_000_000)).seconds == 3600)
        #expect(zone.offset(at: Instant(secondsSinceEpoch: 0)).seconds == 7200)
        #expect(zone.offset(at: Instant(secondsSinceEpoch: 6_000_000_000)).seconds == 3600)
    }

    @Test("a slim file's footer gives the same answers as Europe/Berlin's full data")
    func slimFooterMatchesBerlin() throws {
        // Like `zic -b slim`: one transition into the current rules, then only the footer.
        let slim = TZifBuilder(
            transitions: [(315_968_400, 0)],  // 1980-01-06, an arbitrary winter instant
            types: [.init(offset: 3600, isDaylight: false, abbreviation: "CET")]
        )
        let zone = try Zone(tzifData: slim.version2(footer: "CET-1CEST,M3.5.0,M10.5.0/3"), identifier: "Slim")
        let berlin = try Zone.named("Europe/Berlin")
        // From 1996 on; before that, EU summer time ended in September.
        var seconds: Int64 = 852_076_800  // 1997
        while seconds < 7_258_118_400 {  // 2200
            let instant = Instant(secondsSinceEpoch: seconds)
            #expect(zone.offset(at: instant) == berlin.offset(at: instant), "\(RFC3339.format(instant))")
            seconds += 3 * 86_400 + 3_643
        }
        let probe = Instant(secondsSinceEpoch: 2_000_000_000)
        #expect(zone.nextTransition(after: probe) == berlin.nextTransition(after: probe))
    }

    @Test("transitions that only rename the zone are dropped")
    func noOpTransitionsDropped() throws {
        let builder = TZifBuilder(
            transitions: [(1000, 1), (2000, 2)],
            types: [
                .init(offset: 0, isDaylight: false, abbreviation: "AAA"),
                .init(offset: 0, isDaylight: false, abbreviation: "BBB"),
                .init(offset: 3600, isDaylight: false, abbreviation: "CCC"),
            ]
        )
        let zone = try Zone(tzifData: builder.version1(), identifier: "Renamed")
        #expect(zone.nextTransition(after: Instant(secondsSinceEpoch: 0))?.instant == Instant(secondsSinceEpoch: 2000))
    }

    static let damaged: [([UInt8], String)] = [
        ([], "truncated"),
        (Array("TZxf".utf8) + [UInt8](repeating: 0, count: 40), "bad magic"),
        (Array(twoTypes.version1().dropLast(3)), "truncated"),
        (twoTypes.version2(footer: "NOT A RULE"), "cannot read footer rule 'NOT A RULE'"),
        (Array(twoTypes.version2(footer: "UTC0").dropLast()), "footer is not terminated"),
        (Array("TZif9".utf8) + [UInt8](repeating: 0, count: 39), "unknown TZif version"),
    ]

    @Test("rejects damaged data with a reason", arguments: damaged)
    func rejects(bytes: [UInt8], reason: String) {
        let error = #expect(throws: ZoneError.self) { try Zone(tzifData: bytes, identifier: "Broken") }
        #expect(error?.code == .invalidData)
        #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
    }

    @Test("rejects out-of-range type indices and unordered times")
    func rejectsInconsistentTables() {
        var badIndex = Self.twoTypes
        badIndex.transitions = [(1000, 5)]
        #expect(throws: ZoneError.self) { try Zone(tzifData: badIndex.version1(), identifier: "Bad") }
        var unordered = Self.twoTypes
        unordered.transitions = [(2000, 1), (1000, 0)]
        #expect(throws: ZoneError.self) { try Zone(tzifData: unordered.version1(), identifier: "Bad") }
    }

    @Test("every zone in the system's tzdata loads")
    func systemZonesLoad() throws {
        let list = try #require(
            Self.readText("/usr/share/zoneinfo/tzdata.zi") ?? Self.readText("/usr/share/zoneinfo/zone1970.tab")
        )
        var names: [String] = []
        for line in list.split(separator: "\n") {
            let fields = line.split(separator: line.hasPrefix("Z ") || line.hasPrefix("L ") ? " " : "\t")
            if line.hasPrefix("Z ") { names.append(String(fields[1])) }
            if line.hasPrefix("L ") { names.append(String(fields[2])) }
        }
        #expect(names.count > 300)
        var failures: [String] = []
        for name in names {
            do {
                _ = try Zone.named(name)
            } catch {
                failures.append(error.description)
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    static func readText(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
