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
        let parts: HTTP1ConnectionPool.PartTaker?
        var timeout: Scheduled<Void>?
    }

    private var pending: Pending?
    private var head: HTTPResponseHead?
    /// What takes the body's parts as they arrive (`nil`: they are kept for the response).
    private var taker: (@Sendable (ByteBuffer) -> Void)?
    /// The body's bytes so far, kept or taken.
    private var received = 0
    /// The body so far.
    private var body = ByteBuffer()
    /// Whether the connection served a request before the one in flight.
    private var served = false

    /// Starts waiting for the response to a request about to be written: one of at most `limit` bytes of body,
    /// within `readTimeout`, else the connection is closed and `promise` fails. `parts` may take the body part by
    /// part (see ``HTTP1ConnectionPool/PartTaker``).
    func expect(
        _ promise: EventLoopPromise<HTTP1Response>, limit: Int, readTimeout: TimeAmount,
        parts: HTTP1ConnectionPool.PartTaker?, on channel: any Channel
    ) {
        (head, taker, received) = (nil, nil, 0)
        pending = Pending(promise: promise, limit: limit, parts: parts)
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
            taker = pending?.parts?(responseHead)
        case .body(var part):
            guard received <= limit - part.readableBytes else {
                fail(HTTP1ClientError.bodyTooLarge(limit: limit))
                context.close(promise: nil)
                return
            }
            received += part.readableBytes
            if let taker {
                taker(part)
            } else if body.readableBytes == 0 {
                // A body in one part is passed on as it came, without a copy.
                body = part
            } else {
                body.writeBuffer(&part)
            }
        case .end:
            guard let head, let done = pending else { return }
            pending = nil
            served = true
            done.timeout?.cancel()
            // The connection keeps no answer's storage while it waits for the next request.
            let whole = body
            body = ByteBuffer()
            done.promise.succeed(HTTP1Response(head: head, body: whole))
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
