import Foundation
import NIOCore
import NIOHTTP1

/// A whole HTTP/1.1 answer: its head and every byte of its body.
struct HTTP1Response: Sendable {
    /// The status line and headers.
    let head: HTTPResponseHead
    /// The body.
    let body: ByteBuffer

    /// Whether the server keeps the connection open for another request, and for how long it waits for one
    /// (its `Keep-Alive: timeout=N`, when it says).
    var keepAlive: (keeps: Bool, serverTimeout: Duration?) {
        guard head.isKeepAlive else { return (false, nil) }
        let timeout = head.headers["keep-alive"].lazy.flatMap { $0.split(separator: ",") }
            .compactMap { parameter -> Duration? in
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "timeout",
                    let seconds = Int(pair[1].trimmingCharacters(in: .whitespaces)), seconds >= 0
                else { return nil }
                return .seconds(min(seconds, 86_400))
            }.first
        return (true, timeout)
    }
}

/// Why an exchange on a kept-alive connection failed, where AsyncHTTPClient's errors do not say it.
enum HTTP1ExchangeError: Error, CustomStringConvertible {
    /// The connection closed before any byte of an answer: on a connection that answered before, the server most
    /// likely closed it as idle while the request was on its way, and the request can go on a new one.
    case closedBeforeAnswer
    /// A second request was written on a connection still waiting for an answer (a bug of the pool's).
    case busy

    var description: String {
        switch self {
        case .closedBeforeAnswer: "the server closed the connection before answering"
        case .busy: "a request was sent on a connection still waiting for an answer"
        }
    }
}
