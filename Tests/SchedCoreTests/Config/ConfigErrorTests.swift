import SchedCore
import Testing

/// Every error kind, each pinned to its exact `file:line:column` and message.
@Suite struct ConfigErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var toml: String
        var headline: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "bad weekday points inside the cron string",
            toml: """
                [jobs.backup]
                cron = "0 9 * * Mnd"
                shell = "true"
                """,
            headline: "schedules.toml:2:17: error: unknown weekday 'Mnd' in 'cron'"
        ),
        Case(
            name: "out-of-range minute",
            toml: """
                [jobs.backup]
                cron = "61 * * * *"
                shell = "true"
                """,
            headline: "schedules.toml:2:9: error: minute value 61 is out of range 0-59 in 'cron'"
        ),
        Case(
            name: "cron that never fires",
            toml: """
                [jobs.never]
                cron = "0 0 30 2 *"
                shell = "true"
                """,
            headline: "schedules.toml:2:8: error: cron expression '0 0 30 2 *' never fires"
        ),
        Case(
            name: "unknown zone in the job",
            toml: """
                [jobs.a]
                timezone = "Mars/Olympus"
                every = "5m"
                shell = "true"
                """,
            headline: "schedules.toml:2:12: error: unknown time zone 'Mars/Olympus'"
        ),
        Case(
            name: "unknown zone in a CRON_TZ prefix points at the name",
            toml: """
                [jobs.a]
                cron = "CRON_TZ=Mars/Olympus 0 9 * * *"
                shell = "true"
                """,
            headline: "schedules.toml:2:17: error: unknown time zone 'Mars/Olympus'"
        ),
        Case(
            name: "start after end",
            toml: """
                [jobs.a]
                every = "5m"
                shell = "true"
                start = 2027-02-01T00:00:00Z
                end = 2027-01-01T00:00:00Z
                """,
            headline:
                "schedules.toml:5:7: error: 'end' (2027-01-01T00:00:00+00:00) is before 'start' (2027-02-01T00:00:00+00:00)"
        ),
        Case(
            name: "every of zero",
            toml: """
                [jobs.a]
                every = "0s"
                shell = "true"
                """,
            headline: "schedules.toml:2:9: error: 'every' must be longer than zero"
        ),
        Case(
            name: "durations longer than 100 years",
            toml: """
                [jobs.a]
                every = "15000w"
                shell = "true"
                """,
            headline: "schedules.toml:2:9: error: 'every' must be at most 100 years, found \"15000w\""
        ),
        Case(
            name: "bare integer duration suggests a unit",
            toml: """
                [jobs.a]
                every = 90
                shell = "true"
                """,
            headline:
                "schedules.toml:2:9: error: 'every' needs a unit: write \"90s\" for 90 seconds (units: ms, s, m, h, d, w)"
        ),
        Case(
            name: "bad duration unit points inside the string",
            toml: """
                [jobs.a]
                every = "5m"
                shell = "true"
                timeout = "10x"
                """,
            headline:
                "schedules.toml:4:14: error: invalid duration \"10x\" for 'timeout': unknown unit 'x'; use w, d, h, m, s or ms"
        ),
        Case(
            name: "missing trigger",
            toml: """
                [jobs.a]
                shell = "true"
                """,
            headline: "schedules.toml:1:7: error: job 'a' has no trigger; set one of 'cron', 'every' or 'at'"
        ),
        Case(
            name: "two triggers",
            toml: """
                [jobs.a]
                cron = "0 * * * *"
                every = "5m"
                shell = "true"
                """,
            headline:
                "schedules.toml:3:1: error: job 'a' has more than one trigger: 'cron' and 'every'; keep exactly one"
        ),
        Case(
            name: "missing action",
            toml: """
                [jobs.a]
                every = "5m"
                """,
            headline: "schedules.toml:1:7: error: job 'a' has no action; set one of 'command', 'shell' or 'http'"
        ),
        Case(
            name: "two actions",
            toml: """
                [jobs.a]
                every = "5m"
                shell = "true"
                command = ["true"]
                """,
            headline:
                "schedules.toml:4:1: error: job 'a' has more than one action: 'shell' and 'command'; keep exactly one"
        ),
        Case(
            name: "relative working_dir",
            toml: """
                [jobs.a]
                every = "5m"
                shell = "true"
                working_dir = "tmp"
                """,
            headline: "schedules.toml:4:15: error: 'working_dir' must be an absolute path, found \"tmp\""
        ),
        Case(
            name: "bad enum value lists the allowed ones",
            toml: """
                [jobs.a]
                every = "5m"
                shell = "true"
                on_overlap = "skp"
                """,
            headline:
                "schedules.toml:4:14: error: invalid value 'skp' for 'on_overlap'; expected one of 'skip', 'queue', 'replace'; did you mean 'skip'?"
        ),
        Case(
            name: "invalid job id",
            toml: """
                [jobs."nightly backup"]
                every = "5m"
                shell = "true"
                """,
            headline:
                "schedules.toml:1:7: error: invalid job id 'nightly backup'; ids may contain only letters, digits, '_', '.' and '-'"
        ),
        Case(
            name: "max_instances below one",
            toml: """
                [jobs.a]
                every = "5m"
                shell = "true"
                max_instances = 0
                """,
            headline: "schedules.toml:4:17: error: 'max_instances' must be at least 1, found 0"
        ),
        Case(
            name: "negative retry attempts",
            toml: """
                [jobs.a]
                every = "5m"
                shell = "true"
                retry = { attempts = -1 }
                """,
            headline: "schedules.toml:4:22: error: 'retry.attempts' must be at least 0, found -1"
        ),
        Case(
            name: "retry factor below one",
            toml: """
                [jobs.a]
                every = "5m"
                shell = "true"
                retry = { attempts = 2, factor = 0.5 }
                """,
            headline: "schedules.toml:4:34: error: 'retry.factor' must be at least 1, found 0.5"
        ),
        Case(
            name: "unknown key suggests the closest",
            toml: """
                [jobs.a]
                every = "5m"
                shell = "true"
                timout = "5m"
                """,
            headline: "schedules.toml:4:1: error: unknown key 'timout' in job 'a'; did you mean 'timeout'?"
        ),
        Case(
            name: "unknown scheduler key suggests the closest",
            toml: """
                [scheduler]
                max_concurent = 4
                """,
            headline:
                "schedules.toml:2:1: error: unknown key 'max_concurent' in [scheduler]; did you mean 'max_concurrent'?"
        ),
        Case(
            name: "type error says expected and found",
            toml: """
                [jobs.a]
                every = "5m"
                shell = "true"
                coalesce = "yes"
                """,
            headline: "schedules.toml:4:12: error: expected true or false for 'coalesce', found string"
        ),
        Case(
            name: "command must be an array of strings",
            toml: """
                [jobs.a]
                every = "5m"
                command = ["ls", 3]
                """,
            headline: "schedules.toml:3:18: error: expected a string for 'command[1]', found integer"
        ),
        Case(
            name: "at with a local date-time in a DST gap",
            toml: """
                [scheduler]
                timezone = "Europe/Berlin"
                [jobs.a]
                at = 2027-03-28T02:30:00
                shell = "true"
                """,
            headline:
                "schedules.toml:4:6: error: 2027-03-28T02:30:00 does not exist in Europe/Berlin: clocks jump from 02:00 to 03:00 that day; give an offset, like 2027-03-28T02:30:00+02:00"
        ),
        Case(
            name: "at with an unparsable string",
            toml: """
                [jobs.a]
                at = "tomorrow"
                shell = "true"
                """,
            headline:
                "schedules.toml:2:6: error: invalid date-time \"tomorrow\" for 'at'; expected RFC 3339 with an offset, like \"2026-12-01T09:00:00+01:00\", or an unquoted local date-time"
        ),
        Case(
            name: "http url without a scheme",
            toml: """
                [jobs.a]
                every = "5m"
                http = { url = "example.com/health" }
                """,
            headline:
                "schedules.toml:3:16: error: 'http.url' must start with http:// or https://, found \"example.com/health\""
        ),
        Case(
            name: "http status out of range",
            toml: """
                [jobs.a]
                every = "5m"
                http = { url = "https://example.com/", expect_status = [200, 700] }
                """,
            headline: "schedules.toml:3:62: error: HTTP status 700 in 'http.expect_status' is not in 100-599"
        ),
        Case(
            name: "socket_mode that is not octal",
            toml: """
                [scheduler]
                socket_mode = "0968"
                """,
            headline:
                "schedules.toml:2:15: error: invalid 'socket_mode' \"0968\"; expected octal permission bits like \"0660\""
        ),
        Case(
            name: "TOML syntax error is one error at the decoder's position",
            toml: """
                [jobs.a]
                every = "5m
                shell = "true"
                """,
            headline: "schedules.toml:2:12: error: unterminated string"
        ),
    ]

    @Test("reports each error kind at its exact location", arguments: cases)
    func reportsErrorAtLocation(_ example: Case) {
        let result = ConfigFixture.load(example.toml)
        #expect(result.config == nil)
        #expect(
            result.errors.map(\.headline).contains { $0.hasPrefix(example.headline) },
            "\(result.errors.map(\.headline))"
        )
    }
}
