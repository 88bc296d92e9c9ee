import Catena
import NIOCore
import NIOPosix
import NIOSSL

/// Finds out whether a port asked for TLS (`https://`) speaks plain HTTP instead.
///
/// Such a server does not answer a TLS ClientHello at all (it waits for a request line), so without this check a
/// request to it would wait out the whole connect timeout and end in a bare "TLS handshake timeout". A port is taken
/// for plain HTTP only when it stays silent after a ClientHello *and* answers a plain `HEAD` with an HTTP status line:
/// a TLS server (which answers the ClientHello at once, even to refuse it) is never taken for one.
enum PlainHTTPPortCheck {
    /// Whether `host:port` answers plain HTTP but not TLS, each probe waiting at most `patience` for the first bytes.
    static func speaksPlainHTTPOnly(host: String, port: Int, patience: Duration) async -> Bool {
        let tlsReply = await firstReply(host: host, port: port, patience: patience, sending: nil) { channel in
            // Only whether the server answers matters: no certificate is checked, so no trust store is loaded.
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            let context = try NIOSSLContext(configuration: configuration)
            try channel.pipeline.syncOperations.addHandler(
                try NIOSSLClientHandler(context: context, serverHostname: nil))
        }
        guard tlsReply == nil else { return false }
        let plainReply = await firstReply(
            host: host, port: port, patience: patience, sending: Array("HEAD / HTTP/1.0\r\nHost: \(host)\r\n\r\n".utf8)
        ) { _ in }
        return plainReply?.starts(with: "HTTP/".utf8) == true
    }

    /// The first bytes `host:port` sends back after `sending` (or after what `setUp`'s handlers send), `[]` when it
    /// closes the connection or fails first, `nil` when nothing comes within `patience` or no connection is made.
    private static func firstReply(
        host: String, port: Int, patience: Duration, sending: [UInt8]?,
        setUp: @escaping @Sendable (any Channel) throws -> Void
    ) async -> [UInt8]? {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let reply = loop.makePromise(of: [UInt8]?.self)
        let timeout = TimeAmount.nanoseconds(patience.nanoseconds)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // First in the pipeline, so it sees the server's bytes before any TLS handler reads them.
                    try channel.pipeline.syncOperations.addHandler(FirstReplyHandler(reply: reply))
                    try setUp(channel)
                }
            }
        guard let channel = try? await bootstrap.connect(host: host, port: port).get() else { return nil }
        loop.scheduleTask(in: timeout) { reply.succeed(nil) }
        if let sending { channel.writeAndFlush(ByteBuffer(bytes: sending), promise: nil) }
        let bytes = try? await reply.futureResult.get()
        try? await channel.close()
        return bytes ?? nil
    }
}

/// Completes a promise with the first bytes a connection receives, or `[]` when it ends first.
private final class FirstReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// Completed once; later completions (the timeout's included) are ignored by NIO.
    private let reply: EventLoopPromise<[UInt8]?>

    init(reply: EventLoopPromise<[UInt8]?>) {
        self.reply = reply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reply.succeed(Array(unwrapInboundIn(data).readableBytesView))
    }

    func channelInactive(context: ChannelHandlerContext) {
        reply.succeed([])
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        reply.succeed([])
        context.close(promise: nil)
    }
}
