// schedd-https-probe: the HTTPS half of the health-check probe (see schedd-http-probe, which execs
// this program for https:// URLs with the same arguments and environment).
//
// It uses FoundationNetworking's URLSession (libcurl and the system's TLS and CA store), which is
// why it is a separate executable: neither schedd nor the plain-HTTP probe ever loads that code.
// Same contract: one ProbeResult JSON line on stdout; exit 0 passed, 1 failed, 2 usage error.

import Foundation
import FoundationNetworking
import SchedCore

let arguments = Array(CommandLine.arguments.dropFirst())
let request: HTTPProbeRequest
do {
    request = try HTTPProbeRequest(arguments: arguments) { ProcessInfo.processInfo.environment[$0] }
} catch {
    FileHandle.standardError.write(Data("schedd-https-probe: \(error.message)\n".utf8))
    exit(2)
}

/// Writes the report line and exits with its status.
func finish(_ result: ProbeResult) -> Never {
    FileHandle.standardOutput.write(Data((result.jsonLine + "\n").utf8))
    exit(result.exitCode)
}

guard let url = URL(string: request.url) else {
    finish(.ioFailure("invalid URL \"\(request.url)\"", latency: nil))
}

let check = HTTPSCheck(request: request, url: url)
finish(check.run())
