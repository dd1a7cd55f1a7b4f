import Testing

/// The release check that decides whether Foundation may serve as an oracle.
@Suite struct TZdataVersionsTests {
    @Test(
        "tzdata.zi's first line names the release",
        arguments: [
            ("# version 2026f\n# This zic input file is in the public domain.\n", "2026f"),
            ("# version 2025b", "2025b"),
            ("# This zic input file is in the public domain.\n# version 2026f\n", nil),
            ("", nil),
            ("# version\n", nil),
        ] as [(String, String?)]
    )
    func parsesVersionLine(text: String, expected: String?) {
        #expect(TZdataVersions.version(fromTZdataZi: text) == expected)
    }

    @Test("Foundation names its zone data release")
    func foundationVersion() {
        #expect(TZdataVersions.foundation.count >= 5, "\(TZdataVersions.foundation)")
    }
}
