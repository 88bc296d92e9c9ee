import AsyncHTTPClient
import Catena
import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP/1.1 connection to a plain `http://` server, kept open between requests, one request at a time.
struct HTTP1Connection: Sendable {
    let channel: any Channel
    /// Whether it answered a request before: a failure before any answer then most likely means the server closed
    /// it as idle, not that the request failed.
    let reused: Bool

    /// Opens a connection to `server`, failing after `connectTimeout`.
    static func open(to server: HTTP1ConnectionPool.Server, connectTimeout: Duration) async throws -> HTTP1Connection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.nanoseconds(Int64(clamping: connectTimeout.nanoseconds)))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HTTP1ExchangeHandler())
                }
            }
            .connect(host: server.host, port: server.port).get()
        return HTTP1Connection(channel: channel, reused: false)
    }

    /// Sends `head` and `body` and returns the whole answer; cancelling the caller closes the connection.
    func exchange(
        _ head: HTTPRequestHead, body: ByteBuffer?, bodyLimit: Int, timeout: Duration
    ) async throws -> HTTP1Response {
        let promise = channel.eventLoop.makePromise(of: HTTP1Response.self)
        let exchange = HTTP1Exchange(
            head: head, body: body, bodyLimit: bodyLimit, timeout: .nanoseconds(Int64(clamping: timeout.nanoseconds)),
            promise: promise)
        // A write that fails never reached the server (the connection had closed): nothing was answered.
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { _ in promise.fail(HTTP1ExchangeError.closedBeforeAnswer) }
        channel.writeAndFlush(exchange, promise: written)
        return try await withTaskCancellationHandler {
            do {
                return try await promise.futureResult.get()
            } catch {
                throw Task.isCancelled ? CancellationError() : error
            }
        } onCancel: { [channel] in
            channel.close(promise: nil)
        }
    }
}
