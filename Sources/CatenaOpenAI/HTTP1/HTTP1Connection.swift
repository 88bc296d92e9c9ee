import NIOCore
import NIOHTTP1

/// One kept-alive HTTP/1.1 connection of an ``HTTP1ConnectionPool``: one request at a time.
final class HTTP1Connection: Sendable {
    let channel: any Channel
    private let collector: NIOLoopBound<HTTP1ResponseCollector>

    /// Wraps a connected channel whose pipeline has the HTTP client handlers and `collector`.
    init(channel: any Channel, collector: NIOLoopBound<HTTP1ResponseCollector>) {
        self.channel = channel
        self.collector = collector
    }

    /// Writes a request and returns its whole response (body at most `limit` bytes, unless `parts` took it) once
    /// it arrived, within `readTimeout`.
    func exchange(
        _ head: HTTPRequestHead, body: ByteBuffer?, limit: Int, readTimeout: TimeAmount,
        parts: HTTP1ConnectionPool.PartTaker?
    ) -> EventLoopFuture<HTTP1Response> {
        let (channel, collector) = (channel, collector)
        let loop = channel.eventLoop
        let promise = loop.makePromise(of: HTTP1Response.self)
        let write: @Sendable () -> Void = {
            collector.value.expect(promise, limit: limit, readTimeout: readTimeout, parts: parts, on: channel)
            let written = loop.makePromise(of: Void.self)
            written.futureResult.whenFailure { error in
                // A connection found closed as the request is written was closed by the server while it was idle.
                let closed = !channel.isActive || HTTP1ResponseCollector.isEarlyClose(error)
                collector.value.fail(closed ? collector.value.closed : error)
                channel.close(promise: nil)
            }
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: written)
        }
        if loop.inEventLoop { write() } else { loop.execute(write) }
        return promise.futureResult
    }

    /// Fails the request in flight with `error` and closes the connection.
    func abandon(with error: any Error) {
        let (channel, collector) = (channel, collector)
        channel.eventLoop.execute {
            collector.value.fail(error)
            channel.close(promise: nil)
        }
    }
}
