import SchedCore
import Testing

/// DST notes for the 12 months after `ConfigFixture.now` (2026-11-28): Europe/Berlin changes on
/// 2027-03-28 (02:00 → 03:00) and 2027-10-31 (03:00 → 02:00); America/New_York on 2027-03-14
/// (02:00 → 03:00) and 2027-11-07 (02:00 → 01:00).
@Suite struct DSTNoteTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var zone: String
        var cron: String
        var extra = ""
        var notes: [String]
        var testDescription: String { "\(zone) '\(cron)' \(extra)" }
    }

    static let cases: [Case] = [
        Case(
            zone: "Europe/Berlin",
            cron: "30 2 * * *",
            notes: [
                "on 2027-03-28 02:30 does not exist in Europe/Berlin; 'backup' runs at 03:00 (+02:00) instead (dst_gap = shift)",
                "on 2027-10-31 02:30 occurs twice in Europe/Berlin; 'backup' runs only at the first (dst_repeat = first)",
            ]
        ),
        Case(
            zone: "Europe/Berlin",
            cron: "30 2 * * *",
            extra: "dst_gap = \"skip\"\ndst_repeat = \"both\"",
            notes: [
                "on 2027-03-28 02:30 does not exist in Europe/Berlin; 'backup' does not run then (dst_gap = skip)",
                "on 2027-10-31 02:30 occurs twice in Europe/Berlin; 'backup' runs at both (dst_repeat = both)",
            ]
        ),
        Case(
            zone: "Europe/Berlin",
            cron: "0 * * * *",
            notes: [
                "on 2027-03-28 02:00 does not exist in Europe/Berlin; 'backup' does not run then (dst_gap = skip)",
                "on 2027-10-31 02:00 occurs twice in Europe/Berlin; 'backup' runs at both (dst_repeat = both)",
            ]
        ),
        Case(
            zone: "America/New_York",
            cron: "30 1 * * *",
            notes: [
                "on 2027-11-07 01:30 occurs twice in America/New_York; 'backup' runs only at the first (dst_repeat = first)"
            ]
        ),
        Case(
            zone: "America/New_York",
            cron: "15 2 * * 0",
            notes: [
                "on 2027-03-14 02:15 does not exist in America/New_York; 'backup' runs at 03:00 (-04:00) instead (dst_gap = shift)"
            ]
        ),
        Case(zone: "Europe/Berlin", cron: "0 12 * * *", notes: []),
        Case(zone: "Europe/Berlin", cron: "30 2 * * 1", notes: []),  // both dates are Sundays
        Case(zone: "UTC", cron: "30 2 * * *", notes: []),
    ]

    @Test("notes each DST transition of the next 12 months that moves or repeats a firing", arguments: cases)
    func notes(_ example: Case) throws {
        let result = ConfigFixture.load(
            """
            [scheduler]
            timezone = "\(example.zone)"
            [jobs.backup]
            cron = "\(example.cron)"
            shell = "true"
            \(example.extra)
            """
        )
        #expect(result.config != nil, "\(result.diagnostics)")
        #expect(result.notes.map(\.message) == example.notes)
        #expect(result.notes.allSatisfy { $0.location == SourceLocation(file: "schedules.toml", line: 4, column: 8) })
    }

    @Test("a CRON_TZ prefix decides which zone's transitions matter")
    func prefixZone() {
        let result = ConfigFixture.load(
            "[jobs.backup]\ncron = \"CRON_TZ=America/New_York 30 1 * * *\"\nshell = \"true\"\n"
        )
        #expect(result.notes.count == 1)
        #expect(
            result.notes.first?.headline.hasPrefix("schedules.toml:2:8: note: on 2027-11-07 01:30 occurs twice") == true
        )
    }

    @Test("disabled jobs and @reboot get no DST notes")
    func noNotes() {
        let result = ConfigFixture.load(
            """
            [scheduler]
            timezone = "Europe/Berlin"
            [jobs.off]
            cron = "30 2 * * *"
            enabled = false
            shell = "true"
            [jobs.boot]
            cron = "@reboot"
            shell = "true"
            """
        )
        #expect(result.config != nil)
        #expect(result.diagnostics.isEmpty)
    }
}
