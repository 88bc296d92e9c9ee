import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A request to write and the promise of its whole answer.
struct HTTP1Exchange: Sendable {
    /// The request line and headers.
    let head: HTTPRequestHead
    /// The request body, if any.
    let body: ByteBuffer?
    /// The longest body accepted.
    let bodyLimit: Int
    /// How long the whole answer may take.
    let timeout: TimeAmount
    /// Completed with the answer, or failed.
    let promise: EventLoopPromise<HTTP1Response>
}

/// The end of a kept-alive connection's pipeline: writes one request at a time and collects its answer whole,
/// within the exchange's time and body limits. A failure closes the connection: what is left on it cannot be trusted.
final class HTTP1ExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTP1Exchange
    typealias OutboundOut = HTTPClientRequestPart

    private struct Pending {
        let exchange: HTTP1Exchange
        let timer: Scheduled<Void>
        var head: HTTPResponseHead?
        var body: ByteBuffer
    }

    private var pending: Pending?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard pending == nil else {
            exchange.promise.fail(HTTP1ExchangeError.busy)
            promise?.fail(HTTP1ExchangeError.busy)
            return
        }
        let timer = context.eventLoop.assumeIsolated().scheduleTask(in: exchange.timeout) {
            self.fail(HTTPClientError.readTimeout, context: context)
        }
        pending = Pending(
            exchange: exchange, timer: timer, head: nil, body: context.channel.allocator.buffer(capacity: 0))
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let body = exchange.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard var current = pending else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            current.head = head
            pending = current
        case .body(var part):
            guard current.body.readableBytes <= current.exchange.bodyLimit - part.readableBytes else {
                fail(NIOTooManyBytesError(maxBytes: current.exchange.bodyLimit), context: context)
                return
            }
            pending = nil  // no second reference: the append does not copy
            current.body.writeBuffer(&part)
            pending = current
        case .end:
            pending = nil
            current.timer.cancel()
            if let head = current.head {
                current.exchange.promise.succeed(HTTP1Response(head: head, body: current.body))
            } else {
                current.exchange.promise.fail(HTTP1ExchangeError.closedBeforeAnswer)
                context.close(promise: nil)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let answered = pending?.head != nil
        fail(
            answered ? HTTPClientError.remoteConnectionClosed : HTTP1ExchangeError.closedBeforeAnswer, context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset or a broken pipe before any answer is the server closing the connection, as a close is.
        if pending?.head == nil, let io = error as? IOError, [ECONNRESET, EPIPE].contains(io.errnoCode) {
            fail(HTTP1ExchangeError.closedBeforeAnswer, context: context)
        } else {
            fail(error, context: context)
        }
    }

    /// Fails the exchange under way, if any, and closes the connection.
    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        if let current = pending {
            pending = nil
            current.timer.cancel()
            current.exchange.promise.fail(error)
        }
        context.close(promise: nil)
    }
}
