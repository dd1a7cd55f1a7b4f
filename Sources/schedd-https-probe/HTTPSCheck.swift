import Dispatch
import Foundation
import FoundationNetworking
import SchedCore
import Synchronization

/// One `https://` check through URLSession.
///
/// Redirects are not followed, so HTTP and HTTPS checks judge the same response: a `301` is reported
/// as `unexpected status 301`, never silently replaced by whatever the redirect points at.
struct HTTPSCheck {
    let request: HTTPProbeRequest
    let url: URL

    /// What the data task delivered.
    private struct Delivery: Sendable {
        var data: Data?
        var response: HTTPURLResponse?
        var error: URLError?
        var otherError: String?
    }

    func run() -> ProbeResult {
        let seconds =
            Double(request.timeout.components.seconds)
            + Double(request.timeout.components.attoseconds) / 1e18
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        let session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)

        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.setValue(HTTPProbeRequest.userAgent, forHTTPHeaderField: "User-Agent")
        urlRequest.setValue("*/*", forHTTPHeaderField: "Accept")
        for header in request.headers where !["content-length", "transfer-encoding"].contains(header.name.lowercased())
        {
            urlRequest.setValue(header.value, forHTTPHeaderField: header.name)
        }
        if let body = request.body {
            urlRequest.httpBody = Data(body.utf8)
        }

        let delivered = Mutex<Delivery?>(nil)
        let done = DispatchSemaphore(value: 0)
        let start = ContinuousClock.now
        let task = session.dataTask(with: urlRequest) { data, response, error in
            var delivery = Delivery(data: data, response: response as? HTTPURLResponse)
            if let error {
                if let urlError = error as? URLError {
                    delivery.error = urlError
                } else {
                    delivery.otherError = "\(error)"
                }
            }
            delivered.withLock { $0 = delivery }
            done.signal()
        }
        task.resume()
        // URLSession enforces the limit itself; the extra second only covers a session that never calls back.
        if done.wait(timeout: .now() + seconds + 1) == .timedOut {
            return .timedOut(after: request.timeout, phase: nil)
        }
        let latency = ContinuousClock.now - start
        guard let delivery = delivered.withLock({ $0 }) else {
            return .ioFailure("the HTTPS request ended without a result", latency: latency)
        }
        if let error = delivery.error {
            return Self.result(for: error, host: url.host ?? "", timeout: request.timeout, latency: latency)
        }
        if let other = delivery.otherError {
            return .ioFailure("HTTPS request failed: \(other)", latency: latency)
        }
        guard let response = delivery.response else {
            return .ioFailure("no HTTP response", latency: latency)
        }
        let body = delivery.data.map { Array($0.prefix(1024 * 1024)) } ?? []
        return request.expectation.evaluate(status: response.statusCode, body: body, latency: latency)
    }

    /// Maps URLSession's error codes (which come from libcurl's) to the probe's failure kinds.
    ///
    /// On Linux most TLS failures (a self-signed certificate, a server that does not speak TLS) arrive
    /// as code -1 (unknown) with libcurl's message ("SSL certificate problem: …", "OpenSSL/3.0: …
    /// wrong version number"), so the message decides there. libcurl reports a refused and an
    /// unreachable host alike ("Couldn't connect to server"); both count as `refused`, with its words.
    static func result(for error: URLError, host: String, timeout: Duration, latency: Duration) -> ProbeResult {
        let detail = error.localizedDescription
        let lowered = detail.lowercased()
        let port = error.failingURL?.port ?? 443
        switch error.code {
        case .cannotFindHost, .dnsLookupFailed:
            return .dnsFailure(host: host, detail: detail, latency: latency)
        case .cannotConnectToHost:
            return ProbeResult(
                failure: .refused,
                reason: "connection refused (\(host):\(port)): \(detail)",
                latency: latency
            )
        case .unknown where ["ssl", "tls", "certificate"].contains(where: lowered.contains):
            return .tlsFailure(detail, latency: latency)
        case .timedOut:
            return .timedOut(after: timeout, phase: nil)
        case .secureConnectionFailed, .serverCertificateHasBadDate, .serverCertificateUntrusted,
            .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid, .clientCertificateRejected,
            .clientCertificateRequired:
            return .tlsFailure("\(detail) (URLError \(error.code.rawValue))", latency: latency)
        default:
            return .ioFailure("HTTPS request failed: \(detail) (URLError \(error.code.rawValue))", latency: latency)
        }
    }
}

/// Refuses every redirect, so the redirect response itself is judged.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
