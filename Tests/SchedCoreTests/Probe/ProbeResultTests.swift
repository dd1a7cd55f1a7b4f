import SchedCore
import Testing

@Suite struct ProbeResultTests {
    @Test("a passed check encodes as one line with nulls for absent facts")
    func okLine() {
        let result = ProbeResult(httpStatus: 200, latency: .milliseconds(12))
        #expect(
            result.jsonLine
                == #"{"ok":true,"http_status":200,"latency_ms":12,"reason_kind":null,"reason":null,"body_excerpt":null}"#
        )
        #expect(result.exitCode == 0)
    }

    @Test(
        "every kind of result survives the round trip",
        arguments: [
            ProbeResult(httpStatus: 204, latency: .milliseconds(3)),
            ProbeResult(
                failure: .status,
                reason: "unexpected status 503",
                httpStatus: 503,
                latency: .milliseconds(40),
                bodyExcerpt: "down for \"maintenance\"\r\n\t\u{1}\\ caf\u{e9} \u{1F600} \u{2028}"
            ),
            ProbeResult.timedOut(after: .seconds(5), phase: "waiting for the response"),
            ProbeResult.dnsFailure(host: "nowhere.invalid", detail: "Name or service not known", latency: nil),
            ProbeResult.connectionRefused(address: "127.0.0.1:9", latency: .milliseconds(1)),
            ProbeResult.tlsFailure("certificate is not trusted", latency: .milliseconds(5)),
            ProbeResult.ioFailure("connection reset", httpStatus: 200, latency: .milliseconds(5)),
        ]
    )
    func roundTrip(result: ProbeResult) throws {
        let line = result.jsonLine
        #expect(!line.contains("\n") && !line.contains("\r") && !line.contains("\u{2028}"))
        let decoded = try #require(ProbeResult(jsonLine: line))
        #expect(decoded == result)
        #expect(decoded.exitCode == (result.isOK ? 0 : 1))
    }

    @Test("reasons read as the user will see them")
    func reasons() {
        #expect(ProbeResult.timedOut(after: .seconds(5), phase: nil).reason == "timed out after 5s")
        #expect(
            ProbeResult.timedOut(after: .milliseconds(1500), phase: "connecting").reason
                == "timed out after 1s500ms while connecting"
        )
        #expect(
            ProbeResult.dnsFailure(host: "x.invalid", detail: "Name or service not known", latency: nil).reason
                == "DNS failure: cannot resolve x.invalid (Name or service not known)"
        )
        #expect(
            ProbeResult.connectionRefused(address: "127.0.0.1:9", latency: nil).reason
                == "connection refused (127.0.0.1:9)"
        )
        #expect(ProbeResult.tlsFailure("bad certificate", latency: nil).reason == "TLS error: bad certificate")
    }

    @Test(
        "lines that are not a valid report are rejected",
        arguments: [
            "",
            "ok",
            "{}",
            #"{"ok":"yes"}"#,
            #"{"ok":true,"reason_kind":"status"}"#,
            #"{"ok":false}"#,
            #"{"ok":false,"reason_kind":"gremlins"}"#,
            #"{"ok":true,"http_status":"200"}"#,
            #"{"ok":true,"latency_ms":1.5}"#,
            #"{"ok":true,"ok":false}"#,
            #"{"ok":true,"nested":{"a":1}}"#,
            #"{"ok":true} trailing"#,
            #"{"ok":true,"reason":"\ud800"}"#,
            #"{"ok":true,"reason":"unterminated}"#,
        ]
    )
    func rejects(line: String) {
        #expect(ProbeResult(jsonLine: line) == nil)
    }

    @Test("unknown fields and whitespace are accepted, so the report can grow")
    func tolerant() {
        let line = #" { "ok" : false , "reason_kind" : "io" , "reason" : "x\u00e9\ud83d\ude00" , "extra" : 5 } "#
        let result = ProbeResult(jsonLine: line)
        #expect(result == ProbeResult(failure: .io, reason: "x\u{e9}\u{1F600}"))
    }
}
