// schedd-http-probe: one HTTP health check, run by schedd as a child process.
//
// Usage: schedd-http-probe --url URL [--method M] [--timeout-ms N] [--expect-status 200,204]
//                          [--expect-body TEXT]
//        headers in SCHEDD_HTTP_HEADER_1…, the body in SCHEDD_HTTP_BODY (see HTTPProbeRequest).
//
// Prints one JSON line (ProbeResult) on stdout. Exit status: 0 the check passed, 1 it failed (the line
// says why), 2 usage error (message on stderr, no line).
//
// Plain http:// is handled here with a small HTTP/1.1 client on Glibc sockets, so the probe starts in
// a few milliseconds and loads no TLS or Foundation code; for https:// it execs schedd-https-probe from
// the same folder, which uses FoundationNetworking (libcurl).

import Glibc
import SchedCore

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--help" || arguments.first == "-h" {
    print(
        """
        usage: schedd-http-probe --url URL [--method M] [--timeout-ms N] [--expect-status 200,204] \
        [--expect-body TEXT]
        Runs one HTTP health check and prints its result as one JSON line.
        Headers come from SCHEDD_HTTP_HEADER_1, _2, … ("Name: value"), the body from SCHEDD_HTTP_BODY.
        Exit status: 0 the check passed, 1 it failed, 2 usage error.
        """
    )
    exit(0)
}

let request: HTTPProbeRequest
do {
    request = try HTTPProbeRequest(arguments: arguments) { name in getenv(name).map { String(cString: $0) } }
} catch {
    let message = Array("schedd-http-probe: \(error.message)\n".utf8)
    _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

let url: HTTPURL
do {
    url = try HTTPURL(parsing: request.url)
} catch {
    ProbeReporter.finish(with: .ioFailure("invalid URL \"\(request.url)\": \(error.message)", latency: nil))
}

if url.scheme == .https {
    HTTPSHandoff.exec(arguments: arguments)
}

ProbeReporter.startWatchdog(limit: request.timeout)
ProbeReporter.finish(with: PlainHTTPCheck(request: request, url: url).run())
