import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A loopback HTTP server scripted per request, for what a real model server cannot do on demand: 429 with
/// `Retry-After`, 500s, a connection dropped mid-stream, malformed SSE, a slow first byte, signature checks.
///
/// ```swift
/// let server = try await FaultServer.start { _, index in
///     index == 0 ? FaultServer.json(429, #"{"error":"slow down"}"#, headers: ["retry-after": "1"])
///                : FaultServer.json(200, body)
/// }
/// ```
public final class FaultServer: Sendable {
    /// A request as received.
    public struct Request: Sendable {
        /// `GET`, `POST`, …
        public let method: String
        /// The path and query.
        public let uri: String
        /// Header names lowercased.
        public let headers: [String: String]
        /// The body bytes.
        public let body: [UInt8]
        /// The body as UTF-8 text.
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One step of a scripted response.
    public enum Action: Sendable {
        /// The status line and headers.
        case head(Int, [String: String] = [:])
        /// A piece of the body, flushed at once.
        case body(String)
        /// A piece of the body as raw bytes (to split a multi-byte character), flushed at once.
        case bytes([UInt8])
        /// A pause.
        case delay(Duration)
        /// A pause until the test opens `gate` (a pause that needs no clock).
        case wait(Gate)
        /// The end of the response.
        case end
        /// Closes the connection without ending the response.
        case drop
    }

    /// Picks the actions for the request numbered `index` (0-based, in arrival order).
    public typealias Script = @Sendable (_ request: Request, _ index: Int) -> [Action]

    /// The loopback port.
    public let port: Int
    private let channel: any Channel
    private let received = Mutex<[Request]>([])
    private let closings = Mutex<[Int: ContinuousClock.Instant]>([:])
    private let accepted = Mutex(0)

    /// The base URL of the OpenAI-style routes: `http://127.0.0.1:<port>/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    /// Every request received so far.
    public var requests: [Request] { received.withLock { $0 } }
    /// How many connections clients opened so far.
    public var connections: Int { accepted.withLock { $0 } }

    private init(channel: any Channel) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
    }

    /// Starts a server on a free loopback port.
    public static func start(_ script: @escaping Script) async throws -> FaultServer {
        let box = Mutex<FaultServer?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                box.withLock { _ = $0?.accepted.withLock { $0 += 1 } }
                return channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptedHandler(
                            script: script,
                            record: { request in
                                box.withLock {
                                    $0?.received.withLock { list in
                                        list.append(request); return list.count - 1
                                    }
                                } ?? 0
                            },
                            closed: { index in
                                let now = ContinuousClock.now
                                box.withLock { _ = $0?.closings.withLock { $0[index] = now } }
                            }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = FaultServer(channel: channel)
        box.withLock { $0 = server }
        return server
    }

    /// When the connection that carried request `index` (0-based, in arrival order) closed, by either side;
    /// `nil` while it is open.
    public func connectionClosed(afterRequest index: Int) -> ContinuousClock.Instant? {
        closings.withLock { $0[index] }
    }

    /// Stops listening.
    public func shutdown() async throws {
        try await channel.close()
    }

    /// An SSE body piece: `event: <name>` when named, `data: <payload>` and the empty line.
    public static func event(_ payload: String, named name: String? = nil) -> Action {
        .body((name.map { "event: \($0)\n" } ?? "") + "data: \(payload)\n\n")
    }

    /// A chat-completion stream chunk with `content`.
    public static func chunk(_ content: String, id: String = "chatcmpl-1") -> Action {
        event(
            #"{"id":"\#(id)","model":"fault","choices":[{"index":0,"delta":{"content":"\#(content)"},"finish_reason":null}]}"#
        )
    }

    /// Headers of an SSE response.
    public static let sse = ["content-type": "text/event-stream"]

    /// A complete JSON response.
    public static func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> [Action] {
        [
            .head(
                status,
                headers.merging(["content-type": "application/json", "content-length": "\(body.utf8.count)"]) { a, _ in
                    a
                }),
            .body(body), .end,
        ]
    }
}

/// Collects each request and plays the script's actions for it.
private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let script: FaultServer.Script
    private let record: @Sendable (FaultServer.Request) -> Int
    private let closed: @Sendable (Int) -> Void
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    /// The index of the last request on this connection.
    private var lastIndex: Int?

    init(
        script: @escaping FaultServer.Script, record: @escaping @Sendable (FaultServer.Request) -> Int,
        closed: @escaping @Sendable (Int) -> Void
    ) {
        self.script = script
        self.record = record
        self.closed = closed
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let lastIndex { closed(lastIndex) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let buffer):
            body += buffer.readableBytesView
        case .end:
            guard let head else { return }
            let headers = Dictionary(head.headers.map { ($0.name.lowercased(), $0.value) }) { first, _ in first }
            let request = FaultServer.Request(method: "\(head.method)", uri: head.uri, headers: headers, body: body)
            let index = record(request)
            lastIndex = index
            play(script(request, index)[...], context: context)
        }
    }

    private func play(_ actions: ArraySlice<FaultServer.Action>, context: ChannelHandlerContext) {
        guard let action = actions.first else { return }
        let rest = actions.dropFirst()
        switch action {
        case .head(let status, let headers):
            var fields = HTTPHeaders(headers.map { ($0.key, $0.value) })
            if fields["content-length"].isEmpty { fields.replaceOrAdd(name: "transfer-encoding", value: "chunked") }
            context.writeAndFlush(
                wrapOutboundOut(
                    .head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: fields))),
                promise: nil)
        case .body(let text):
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
        case .bytes(let bytes):
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
        case .delay(let duration):
            let (seconds, attoseconds) = duration.components
            let loop = context.eventLoop.assumeIsolated()
            loop.scheduleTask(in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)) {
                self.play(rest, context: context)
            }
            return
        case .wait(let gate):
            let resume = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            gate.whenOpen {
                resume.eventLoop.execute { resume.value.0.play(rest, context: resume.value.1) }
            }
            return
        case .end:
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .drop:
            context.close(promise: nil)
            return
        }
        play(rest, context: context)
    }
}
