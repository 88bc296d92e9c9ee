import NIOCore
import NIOHTTP1
import NIOPosix

/// A keep-alive loopback server answering every chat request with the same completion the peers' `http_server.py`
/// sends, or, when the request asks to stream, with `chunks` SSE chunks and `[DONE]`. It runs on a thread of its own,
/// as a server in another process would, so the client's event loops do only the client's work.
final class FixedResponseServer: Sendable {
    /// The completion body of ../shared/peers/http_server.py.
    static let completion =
        #"{"id":"chatcmpl-peerbench","object":"chat.completion","created":1700000000,"model":"gpt-3.5-turbo-0125","choices":[{"index":0,"message":{"role":"assistant","content":"hello","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10},"system_fingerprint":null}"#

    let port: Int
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup

    private init(channel: any Channel, group: MultiThreadedEventLoopGroup) {
        self.channel = channel
        self.group = group
        port = channel.localAddress?.port ?? 0
    }

    /// The base URL of its OpenAI-style routes.
    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Starts the server on a free loopback port.
    static func start(chunks: Int) async throws -> FixedResponseServer {
        let stream = Self.stream(chunks: chunks)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 2048)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(FixedResponder(stream: stream))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return FixedResponseServer(channel: channel, group: group)
    }

    func shutdown() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }

    /// An SSE body of `chunks` one-word chunks, a usage chunk and `[DONE]`.
    static func stream(chunks: Int) -> String {
        let chunk =
            #"data: {"id":"chatcmpl-peerbench","model":"bench","choices":[{"index":0,"delta":{"content":"word "},"finish_reason":null}]}"#
        let usage =
            #"data: {"id":"chatcmpl-peerbench","model":"bench","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":\#(chunks),"total_tokens":\#(9 + chunks)}}"#
        return String(repeating: chunk + "\n\n", count: chunks) + usage + "\n\ndata: [DONE]\n\n"
    }
}

/// Answers each request once its body has arrived.
private final class FixedResponder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let stream: String
    private var body: [UInt8] = []

    init(stream: String) { self.stream = stream }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: body = []
        case .body(let buffer): body += buffer.readableBytesView
        case .end:
            let streaming = String(decoding: body, as: UTF8.self).contains(#""stream":true"#)
            let text = streaming ? stream : FixedResponseServer.completion
            let headers = HTTPHeaders([
                ("content-type", streaming ? "text/event-stream" : "application/json"),
                ("content-length", String(text.utf8.count)),
            ])
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil
            )
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
