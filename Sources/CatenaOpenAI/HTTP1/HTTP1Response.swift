package import NIOCore
package import NIOHTTP1

/// A whole response read from a kept-alive HTTP/1.1 connection (``HTTP1ConnectionPool``).
package struct HTTP1Response: Sendable {
    /// Its status line and headers.
    package var head: HTTPResponseHead
    /// Its body, whole (empty when it was taken part by part).
    package var body: ByteBuffer
}

/// Why an exchange on an ``HTTP1ConnectionPool`` connection failed below HTTP.
package enum HTTP1ClientError: Error, CustomStringConvertible {
    /// No whole response within the read timeout.
    case readTimeout
    /// The connection closed before the response's head (`reused`: it had served a request before, so the server
    /// may have closed it while it was idle).
    case closedBeforeResponse(reused: Bool)
    /// The connection closed while the response's body was arriving.
    case closedMidResponse
    /// The response's body passed the limit.
    case bodyTooLarge(limit: Int)
    /// The pool was shut down.
    case shutDown

    package var description: String {
        switch self {
        case .readTimeout: "no whole response within the read timeout"
        case .closedBeforeResponse: "the server closed the connection before answering"
        case .closedMidResponse: "the server closed the connection in the middle of its answer"
        case .bodyTooLarge(let limit): "the answer is larger than \(limit) bytes"
        case .shutDown: "the connection pool was shut down"
        }
    }
}
