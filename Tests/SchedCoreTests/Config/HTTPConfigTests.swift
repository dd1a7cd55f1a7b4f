import SchedCore
import Testing

@Suite struct HTTPConfigTests {
    @Test("http checks are validated down to the offending character")
    func errors() {
        let result = ConfigFixture.load(
            """
            [jobs.a]
            every = "1m"
            http = { url = "http://example.com:99999/" }
            [jobs.b]
            every = "1m"
            http = { url = "http://api/x", headers = { "Bad Name" = "x", X-Ok = "a\\r\\nInjected: 1" } }
            [jobs.c]
            every = "1m"
            http = { url = "https://api/", expect_status = [], body = "a\\u0000b", expect_body = "" }
            """
        )
        #expect(
            result.errors.map(\.headline) == [
                "schedules.toml:3:36: error: invalid 'http.url': invalid port; expected a number from 1 to 65535",
                "schedules.toml:6:44: error: invalid HTTP header name \"Bad Name\" in 'http.headers'",
                "schedules.toml:6:69: error: 'http.headers.X-Ok' must not contain line breaks or NUL characters",
                "schedules.toml:9:48: error: 'http.expect_status' must list at least one status code",
                "schedules.toml:9:59: error: 'http.body' must not contain NUL characters",
                "schedules.toml:9:85: error: 'http.expect_body' must not be empty",
            ]
        )
    }

    @Test("credentials in the URL are refused in favour of a header")
    func credentials() {
        let result = ConfigFixture.load(
            "[jobs.a]\nevery = \"1m\"\nhttp = { url = \"https://me:pw@example.com/\" }\n"
        )
        #expect(
            result.errors.map(\.headline) == [
                "schedules.toml:3:30: error: invalid 'http.url': credentials in the URL are not supported; "
                    + "send an 'Authorization' header instead"
            ]
        )
    }
}
