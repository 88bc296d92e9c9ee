import NIOCore
import NIOPosix

/// One connection to a Redis server: commands are pipelined, replies matched to commands in order.
final class RESPConnection: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects to `host:port`.
    static func connect(host: String, port: Int, timeout: Duration) async throws -> RESPConnection {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout.timeAmount)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPReplyDecoder()))
                        try channel.pipeline.syncOperations.addHandler(RESPCommandHandler())
                    }
                }
                .connect(host: host, port: port).get()
            return RESPConnection(channel: channel)
        } catch {
            throw RedisError.connection("\(host):\(port): \(error)")
        }
    }

    /// Whether the connection is still open.
    var isActive: Bool { channel.isActive }

    /// Sends a command and waits for its reply (at most `timeout`).
    /// - Throws: ``RedisError``; an error reply is ``RedisError/server(_:)``.
    func send(_ arguments: [[UInt8]], timeout: Duration) async throws -> RESPValue {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let deadline = channel.eventLoop.scheduleTask(in: timeout.timeAmount) {
            promise.fail(RedisError.timeout)
        }
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        channel.writeAndFlush(RESPCommand(arguments: arguments, reply: promise), promise: nil)
        let reply: RESPValue
        do {
            reply = try await promise.futureResult.get()
        } catch let error as RedisError {
            if case .timeout = error { channel.close(promise: nil) }
            throw error
        } catch {
            throw RedisError.connection("\(error)")
        }
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply
    }

    /// Closes the connection.
    func close() async {
        try? await channel.close()
    }
}

/// A command and the promise of its reply.
struct RESPCommand: Sendable {
    let arguments: [[UInt8]]
    let reply: EventLoopPromise<RESPValue>
}

/// Decodes replies from the byte stream.
struct RESPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try RESPValue.read(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(value))
        return .continue
    }
}

/// Writes commands and completes their promises with the replies, in order; fails the waiting ones when the
/// connection breaks.
final class RESPCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RESPCommand
    typealias OutboundOut = ByteBuffer

    private var waiting: [EventLoopPromise<RESPValue>] = []
    private var head = 0

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = unwrapOutboundIn(data)
        var buffer = context.channel.allocator.buffer(capacity: 64)
        RESPValue.writeCommand(command.arguments, into: &buffer)
        waiting.append(command.reply)
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard head < waiting.count else { return }
        let promise = waiting[head]
        head += 1
        if head == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            head = 0
        }
        promise.succeed(unwrapInboundIn(data))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(RedisError.connection("\(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RedisError.connection("the server closed the connection"))
        context.fireChannelInactive()
    }

    private func failAll(_ error: RedisError) {
        let pending = waiting[head...]
        waiting = []
        head = 0
        for promise in pending { promise.fail(error) }
    }
}
