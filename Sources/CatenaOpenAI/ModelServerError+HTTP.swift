import AsyncHTTPClient
import Catena
package import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

extension ModelServerError {
    /// The error for a response with a non-2xx status from `url`, with the server's message from its body.
    init(status: Int, url: String, headers: HTTPHeaders, body: [UInt8]) {
        let message = ServerErrorBody(body).message
        switch status {
        case 429: self = .rateLimited(retryAfter: Self.retryAfter(headers.first(name: "retry-after")), message: message)
        case 401, 403: self = .authentication(status: status, message: message)
        case 400, 422: self = .badRequest(status: status, message: message)
        case 404: self = .notFound(url: url, message: message)
        case 500...599: self = .server(status: status, message: message)
        default: self = .unexpectedStatus(status: status, message: message)
        }
    }

    /// The error for a failure below HTTP: no connection to `url`, timeouts, lost connections, cancellation.
    init(transportError error: any Error, url: String, while doing: String) {
        if let known = error as? ModelServerError {
            self = known
        } else if error is CancellationError || Task.isCancelled {
            self = .cancelled
        } else if let problem = Self.connectionProblem(error) {
            self = .cannotConnect(url: url, reason: problem)
        } else if let http = error as? HTTPClientError {
            switch http {
            case .readTimeout, .connectTimeout, .deadlineExceeded: self = .timeout("\(doing) from \(url)")
            case .cancelled: self = .cancelled
            case .alreadyShutdown:
                self = .cannotConnect(
                    url: url,
                    reason: "the client was shut down (its shutdown() ran or its service group ended); make a new one")
            default: self = .connection("\(http)")
            }
        } else {
            self = .connection("\(error)")
        }
    }

    /// Why no connection could be made, when `error` says so, as a short phrase with what to check.
    private static func connectionProblem(_ error: any Error) -> String? {
        if let failure = error as? NIOConnectionError {
            if failure.connectionErrors.contains(where: { Self.connectionProblem($0.error) != nil }) {
                return failure.connectionErrors.lazy.compactMap { Self.connectionProblem($0.error) }.first
            }
            if failure.connectionErrors.isEmpty { return "host \(failure.host) not found: check the URL" }
            return "\(failure.connectionErrors[0].error)"
        }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return "connection refused: is the server running?"
            case EHOSTUNREACH, ENETUNREACH: return "host unreachable: check the URL and the network"
            default: return nil
            }
        }
        if String(reflecting: type(of: error)).hasPrefix("NIOSSL") { return "TLS handshake failed: \(error)" }
        return nil
    }

    /// Why `url` cannot be a server's address, if it cannot.
    package static func invalidURLReason(_ url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), components.host?.isEmpty == false
        else { return "not an http:// or https:// URL" }
        return nil
    }

    /// The longest `Retry-After` that is kept as sent; a longer one (`1e20`, `inf`, a date centuries ahead) reads as
    /// this. It is far beyond any retry policy's longest wait, so such a rate limit is reported, not retried.
    static let longestRetryAfter: Duration = .seconds(86_400)

    /// `Retry-After` as delay-seconds or as an HTTP date, never trapping on what a server sends.
    ///
    /// - Returns: The wait, at most ``longestRetryAfter``; zero for a date in the past; `nil` (the retry policy's own
    ///   backoff applies) for a missing, empty, negative, NaN or unreadable value.
    package static func retryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) {
            guard !seconds.isNaN, seconds >= 0 else { return nil }
            return clamped(seconds: seconds)
        }
        guard let date = HTTPDate.parse(value) else { return nil }
        return clamped(seconds: max(0, date.timeIntervalSince(now)))
    }

    /// A non-negative number of seconds as a duration, at most ``longestRetryAfter`` (infinity included).
    private static func clamped(seconds: Double) -> Duration {
        seconds < longestRetryAfter.seconds ? .milliseconds(Int64(seconds * 1000)) : longestRetryAfter
    }
}
