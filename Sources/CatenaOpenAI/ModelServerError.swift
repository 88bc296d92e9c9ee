public import Catena

/// What can go wrong talking to a model server, as cases to switch on.
///
/// ```swift
/// do { _ = try await model.invoke("hi") }
/// catch let error as ModelServerError {
///     if case .rateLimited(let retryAfter, _) = error { print("retry in", retryAfter ?? .seconds(1)) }
/// }
/// ```
public enum ModelServerError: Error, Sendable {
    /// 429: too many requests; `retryAfter` is the server's `Retry-After`, when given.
    case rateLimited(retryAfter: Duration?, message: String)
    /// 401 or 403: the key or signature was refused.
    case authentication(status: Int, message: String)
    /// 400 or 422: the server refused the request; `message` is the server's explanation.
    case badRequest(status: Int, message: String)
    /// 404 from `url`: no such model, route or deployment.
    case notFound(url: String, message: String)
    /// 5xx: the server failed.
    case server(status: Int, message: String)
    /// Any other unexpected status.
    case unexpectedStatus(status: Int, message: String)
    /// The server sent an error object inside a successful (200) stream.
    case streamError(message: String)
    /// No answer (or no next chunk) within the timeout.
    case timeout(String)
    /// No connection could be made to `url`: nothing listens there, the host is unknown, the TLS handshake
    /// failed, or the URL is not an `http://` or `https://` one. Not retried: the same attempt a moment later would
    /// fail the same way.
    case cannotConnect(url: String, reason: String)
    /// The connection was lost before a response.
    case connection(String)
    /// The response could not be decoded; `payload` is what the server sent.
    case decoding(payload: String, reason: String)
    /// The stream broke off after some output; `partial` is the text received before it did.
    case streamInterrupted(partial: String, reason: String)
    /// The call was cancelled.
    case cancelled

    /// Whether retrying the same request may succeed: rate limits, server errors (but 501, "not implemented", which
    /// a retry never changes), timeouts and lost connections.
    public var isRetryable: Bool {
        switch self {
        case .server(let status, _): status != 501
        case .rateLimited, .timeout, .connection: true
        default: false
        }
    }
}

extension ModelServerError: RetryAfterError {
    /// A rate limit's `Retry-After`, which the retry policy waits for instead of its backoff.
    public var retryAfter: Duration? {
        if case .rateLimited(let retryAfter, _) = self { retryAfter } else { nil }
    }
}

extension ModelServerError: CustomStringConvertible {
    /// A one-line explanation for logs and users (never includes credentials).
    public var description: String {
        switch self {
        case .rateLimited(let retryAfter, let message):
            "rate limited (429)\(retryAfter.map { ", retry after \($0)" } ?? ""): \(message)"
        case .authentication(let status, let message): "authentication failed (\(status)): \(message)"
        case .badRequest(let status, let message): "bad request (\(status)): \(message)"
        case .notFound(let url, let message):
            "not found (404) at \(url): \(message) (check the base URL and the model name)"
        case .server(let status, let message): "server error (\(status)): \(message)"
        case .unexpectedStatus(let status, let message): "unexpected status \(status): \(message)"
        case .streamError(let message): "the server reported an error in the stream: \(message)"
        case .timeout(let what): "timed out: \(what)"
        case .cannotConnect(let url, let reason): "cannot connect to \(url) (\(reason))"
        case .connection(let reason): "connection failed: \(reason)"
        case .decoding(let payload, let reason): "could not decode the response (\(reason)): \(payload.prefix(500))"
        case .streamInterrupted(let partial, let reason):
            "the stream was interrupted after \(partial.count) characters of output: \(reason)"
        case .cancelled: "cancelled"
        }
    }
}
