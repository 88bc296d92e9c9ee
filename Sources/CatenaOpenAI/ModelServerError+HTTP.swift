import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension ModelServerError {
    /// The error for a response with a non-2xx status, with the server's message from its body.
    init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        let message = ServerErrorBody(body).message
        switch status {
        case 429: self = .rateLimited(retryAfter: Self.retryAfter(headers.first(name: "retry-after")), message: message)
        case 401, 403: self = .authentication(status: status, message: message)
        case 400, 422: self = .badRequest(status: status, message: message)
        case 404: self = .notFound(message: message)
        case 500...599: self = .server(status: status, message: message)
        default: self = .unexpectedStatus(status: status, message: message)
        }
    }

    /// The error for a failure below HTTP: timeouts, lost connections, cancellation.
    init(transportError error: any Error, while doing: String) {
        if let known = error as? ModelServerError {
            self = known
        } else if error is CancellationError || Task.isCancelled {
            self = .cancelled
        } else if let http = error as? HTTPClientError {
            switch http {
            case .readTimeout, .connectTimeout, .deadlineExceeded: self = .timeout(doing)
            case .cancelled: self = .cancelled
            default: self = .connection("\(http)")
            }
        } else {
            self = .connection("\(error)")
        }
    }

    /// `Retry-After` as seconds or as an HTTP date.
    static func retryAfter(_ value: String?) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) { return .milliseconds(Int64(max(0, seconds) * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSinceNow) * 1000))
    }
}
