import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Reads the response to the one request in flight on its connection and completes that request's promise; lives
/// on the connection's event loop.
final class HTTP1ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// The request waiting for its response.
    private struct Pending {
        let promise: EventLoopPromise<HTTP1Response>
        let limit: Int
        var timeout: Scheduled<Void>?
    }

    private var pending: Pending?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    /// Whether the connection served a request before the one in flight.
    private var served = false

    /// Starts waiting for the response to a request about to be written: one of at most `limit` bytes of body,
    /// within `readTimeout`, else the connection is closed and `promise` fails.
    func expect(
        _ promise: EventLoopPromise<HTTP1Response>, limit: Int, readTimeout: TimeAmount, on channel: any Channel
    ) {
        head = nil
        body.clear()
        pending = Pending(promise: promise, limit: limit)
        pending?.timeout = channel.eventLoop.assumeIsolated().scheduleTask(in: readTimeout) { [weak self] in
            self?.fail(HTTP1ClientError.readTimeout)
            channel.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let limit = pending?.limit else { return }
        switch unwrapInboundIn(data) {
        case .head(let responseHead):
            head = responseHead
        case .body(var part):
            guard body.readableBytes <= limit - part.readableBytes else {
                fail(HTTP1ClientError.bodyTooLarge(limit: limit))
                context.close(promise: nil)
                return
            }
            body.writeBuffer(&part)
        case .end:
            guard let head, let done = pending else { return }
            pending = nil
            served = true
            done.timeout?.cancel()
            done.promise.succeed(HTTP1Response(head: head, body: body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(Self.isEarlyClose(error) ? closed : error)
        context.close(promise: nil)
    }

    /// Whether `error` is the server closing or resetting the connection: the parser's "stream ended at an
    /// unexpected time", a reset, a broken pipe.
    static func isEarlyClose(_ error: any Error) -> Bool {
        if let parser = error as? HTTPParserError { return parser == .invalidEOFState }
        if let io = error as? IOError { return [ECONNRESET, EPIPE].contains(io.errnoCode) }
        return false
    }

    /// The error of a connection closed before the whole response arrived.
    var closed: HTTP1ClientError {
        head == nil ? .closedBeforeResponse(reused: served) : .closedMidResponse
    }

    /// Fails the request in flight, if any, with `error`.
    func fail(_ error: any Error) {
        guard let failed = pending else { return }
        pending = nil
        failed.timeout?.cancel()
        failed.promise.fail(error)
    }
}
