import AsyncHTTPClient
import Catena
import CatenaOpenAI
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// MCP's streamable HTTP transport: each message is POSTed (several at once when several calls
/// are in flight), and the answer read whether it comes as JSON or as an event stream. (The SDK's own HTTP transport
/// cannot read event-stream answers on Linux.)
final class StreamableHTTPTransport: MCPTransport {
    /// The most bytes one answer may have; a server sending more fails the request.
    static let answerLimit = 16 * 1024 * 1024
    /// How long a message that expects no answer (a notification, a reply) may take to be taken: the server's
    /// `202 Accepted` comes at once, unless it stopped answering.
    static let noticeLimit: Duration = .seconds(5)
    /// How long a request may wait for its answer here: a day, as it is bounded by its caller's timeout.
    static let answerLimitTime: Duration = .seconds(86_400)

    private let endpoint: URL
    /// The endpoint, when it is a plain `http://` URL.
    private let plain: PlainHTTPURL?
    /// The session the server gave (`Mcp-Session-Id`), sent back with every later message; and the protocol version
    /// agreed, once it is.
    private let session = Mutex<(id: String?, version: String?)>((nil, nil))
    let messages: AsyncThrowingStream<[UInt8], any Error>
    private let received: AsyncThrowingStream<[UInt8], any Error>.Continuation

    init(endpoint: URL) {
        self.endpoint = endpoint
        plain = PlainHTTPURL(endpoint.absoluteString)
        (messages, received) = AsyncThrowingStream.makeStream()
    }

    func start() async throws {}

    /// Sets the protocol version sent with every later message (`MCP-Protocol-Version`).
    func agreed(on version: String) {
        session.withLock { $0.version = version }
    }

    func close() async {
        received.finish()
        guard let id = session.withLock({ $0.id }) else { return }
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .DELETE
        request.headers.add(name: "Mcp-Session-Id", value: id)
        _ = try? await HTTPClient.shared.execute(request, timeout: .nanoseconds(Self.noticeLimit.nanoseconds))
    }

    /// POSTs `message` and hands on the messages of the answer, as they arrive: on a kept-alive connection of
    /// Catena's own to a plain `http://` server, else through AsyncHTTPClient.
    func send(_ message: [UInt8], expectingAnswer: Bool) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "application/json, text/event-stream")
        let (id, version) = session.withLock { $0 }
        if let version { headers.add(name: "MCP-Protocol-Version", value: version) }
        if let id { headers.add(name: "Mcp-Session-Id", value: id) }
        let timeout = expectingAnswer ? Self.answerLimitTime : Self.noticeLimit
        guard let plain else {
            return try await sendThroughAsyncHTTPClient(message, headers: headers, timeout: timeout)
        }
        let response = try await HTTP1ConnectionPool.shared.response(
            to: HTTPRequestHead(version: .http1_1, method: .POST, uri: plain.target, headers: headers),
            body: ByteBuffer(bytes: message), host: plain.host, port: plain.port, limit: Self.answerLimit,
            readTimeout: timeout, parts: { head in self.taker(for: head) })
        if !isEventStream(response.head) { try answered(response.head.status, body: response.body) }
    }

    /// POSTs `message` to an `https://` server and hands on the messages of the answer, as they arrive.
    private func sendThroughAsyncHTTPClient(_ message: [UInt8], headers: HTTPHeaders, timeout: Duration) async throws {
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(ByteBuffer(bytes: message))
        let response = try await HTTPClient.shared.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
        let head = HTTPResponseHead(version: .http1_1, status: response.status, headers: response.headers)
        guard let forwarder = taker(for: head) else {
            return try answered(response.status, body: try await response.body.collect(upTo: Self.answerLimit))
        }
        var size = 0
        for try await chunk in response.body {
            size += chunk.readableBytes
            guard size <= Self.answerLimit else { throw HTTP1ClientError.bodyTooLarge(limit: Self.answerLimit) }
            forwarder(chunk)
        }
    }

    /// Keeps the session the answer's head gives; for an event-stream answer, what hands on each event's data.
    private func taker(for head: HTTPResponseHead) -> (@Sendable (ByteBuffer) -> Void)? {
        if let id = head.headers.first(name: "Mcp-Session-Id") { session.withLock { $0.id = id } }
        guard isEventStream(head) else { return nil }
        let forwarder = EventForwarder(sink: received)
        return { part in forwarder.take(part) }
    }

    /// Whether `head` is a successful answer whose body is an event stream.
    private func isEventStream(_ head: HTTPResponseHead) -> Bool {
        (200..<300).contains(head.status.code)
            && head.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true
    }

    /// Hands on a whole answer's message (none for `202 Accepted`).
    /// - Throws: ``HTTPStatusError`` for a status other than 2xx.
    private func answered(_ status: HTTPResponseStatus, body: ByteBuffer) throws {
        guard (200..<300).contains(status.code) else {
            throw HTTPStatusError(
                status: status.code,
                body: String(buffer: body.getSlice(at: body.readerIndex, length: min(body.readableBytes, 4096)) ?? body)
            )
        }
        if status != .accepted { received.yield(Array(buffer: body)) }
    }
}

/// Hands on the data of each event of an event-stream answer as its parts arrive.
private final class EventForwarder: Sendable {
    private let decoder = Mutex(SSEDecoder())
    private let sink: AsyncThrowingStream<[UInt8], any Error>.Continuation

    init(sink: AsyncThrowingStream<[UInt8], any Error>.Continuation) {
        self.sink = sink
    }

    func take(_ part: ByteBuffer) {
        for event in decoder.withLock({ $0.feed(part.readableBytesView) }) where !event.data.isEmpty {
            sink.yield(Array(event.data.utf8))
        }
    }
}

/// An HTTP answer the transport could not use.
struct HTTPStatusError: Error, CustomStringConvertible {
    let status: UInt
    let body: String
    var description: String { "HTTP \(status): \(body.prefix(200))" }
}
