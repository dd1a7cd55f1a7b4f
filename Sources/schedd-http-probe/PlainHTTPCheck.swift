import Glibc
import SchedCore

/// One `http://` check: connect, send, read the response, judge it.
struct PlainHTTPCheck {
    let request: HTTPProbeRequest
    let url: HTTPURL

    /// Runs the check; every way it can end is a `ProbeResult` (the watchdog covers the time limit).
    func run() -> ProbeResult {
        let start = ContinuousClock.now
        let deadline = start + request.timeout
        func elapsed() -> Duration { ContinuousClock.now - start }

        // 1. Resolve and connect.
        let connection: TCPConnection
        do {
            connection = try TCPConnection.connect(host: url.host, port: url.port, deadline: deadline)
        } catch {
            switch error {
            case .resolution(let detail):
                return .dnsFailure(host: url.host, detail: detail, latency: elapsed())
            case .refused(let peer):
                return .connectionRefused(address: peer, latency: elapsed())
            case .timedOut:
                return .timedOut(after: request.timeout, phase: ProbePhase.connecting.activity)
            case .other(let peer, let message):
                return .ioFailure("cannot connect to \(peer): \(message)", latency: elapsed())
            }
        }

        // 2. Send the whole request. A server may answer and close before reading it all (a 413, say);
        //    then the response still decides.
        ProbeReporter.enter(.sending)
        var sendError: SystemError?
        do {
            try connection.send(request.http11Message(for: url))
        } catch {
            sendError = error
        }

        // 3. Read until the parser has a complete response or the peer closes.
        ProbeReporter.enter(.waiting)
        var parser = HTTPResponseParser(method: request.method)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        do {
            while true {
                let count = try connection.receive(into: buffer)
                if count == 0 {
                    try parser.finishAtEndOfStream()
                    break
                }
                if try parser.consume(buffer[..<count]) { break }
                if parser.hasHead { ProbeReporter.enter(.reading) }
            }
        } catch let error as SystemError {
            if let sendError, !parser.hasHead {
                return .ioFailure(
                    "sending the request to \(connection.peer) failed: \(sendError.message)",
                    latency: elapsed()
                )
            }
            let during = parser.hasHead ? ProbePhase.reading.activity : ProbePhase.waiting.activity
            return .ioFailure(
                "\(error.message) (\(connection.peer)) while \(during)",
                httpStatus: parser.status,
                latency: elapsed()
            )
        } catch let error as HTTPResponseError {
            if let sendError, !parser.hasHead {
                return .ioFailure(
                    "sending the request to \(connection.peer) failed: \(sendError.message)",
                    latency: elapsed()
                )
            }
            return .ioFailure(
                "invalid response from \(connection.peer): \(error.message)",
                httpStatus: parser.status,
                latency: elapsed()
            )
        } catch {
            return .ioFailure("\(error)", latency: elapsed())
        }

        // 4. Judge it.
        guard let status = parser.status else {
            return .ioFailure("no response from \(connection.peer)", latency: elapsed())
        }
        return request.expectation.evaluate(status: status, body: parser.body, latency: elapsed())
    }
}
