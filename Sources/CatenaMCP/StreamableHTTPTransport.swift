import AsyncHTTPClient
import CatenaOpenAI
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// MCP's streamable HTTP transport on AsyncHTTPClient: each message is POSTed (several at once when several calls
/// are in flight), and the answer read whether it comes as JSON or as an event stream. (The SDK's own HTTP transport
/// cannot read event-stream answers on Linux.)
final class StreamableHTTPTransport: MCPTransport {
    /// The most bytes one answer may have; a server sending more fails the request.
    static let answerLimit = 16 * 1024 * 1024
    /// How long a message that expects no answer (a notification, a reply) may take to be taken: the server's
    /// `202 Accepted` comes at once, unless it stopped answering. (A request is bounded by its caller's timeout.)
    static let noticeLimit: TimeAmount = .seconds(5)

    private let endpoint: URL
    /// The session the server gave (`Mcp-Session-Id`), sent back with every later message; and the protocol version
    /// agreed, once it is.
    private let session = Mutex<(id: String?, version: String?)>((nil, nil))
    let messages: AsyncThrowingStream<[UInt8], any Error>
    private let received: AsyncThrowingStream<[UInt8], any Error>.Continuation

    init(endpoint: URL) {
        self.endpoint = endpoint
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
        _ = try? await HTTPClient.shared.execute(request, timeout: Self.noticeLimit)
    }

    /// POSTs `message`: returns a JSON answer, and hands on the messages of an event-stream answer as they arrive.
    func send(_ message: [UInt8], expectingAnswer: Bool) async throws -> [UInt8]? {
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, text/event-stream")
        let (id, version) = session.withLock { $0 }
        if let version { request.headers.add(name: "MCP-Protocol-Version", value: version) }
        if let id { request.headers.add(name: "Mcp-Session-Id", value: id) }
        request.body = .bytes(ByteBuffer(bytes: message))
        let response = try await HTTPClient.shared.execute(
            request, timeout: expectingAnswer ? .hours(24) : Self.noticeLimit)
        if let id = response.headers.first(name: "Mcp-Session-Id") { session.withLock { $0.id = id } }
        guard (200..<300).contains(response.status.code) else {
            let body = try? await response.body.collect(upTo: 4096)
            throw HTTPStatusError(status: response.status.code, body: body.map { String(buffer: $0) } ?? "")
        }
        if response.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true {
            try await forwardEvents(of: response.body)
        } else if response.status != .accepted {
            return Array(buffer: try await response.body.collect(upTo: Self.answerLimit))
        }
        return nil
    }

    /// Hands on each event's data of an event-stream answer.
    private func forwardEvents(of body: HTTPClientResponse.Body) async throws {
        var decoder = SSEDecoder()
        var size = 0
        for try await chunk in body {
            size += chunk.readableBytes
            guard size <= Self.answerLimit else {
                throw HTTPStatusError(status: 200, body: "the answer passed \(Self.answerLimit) bytes")
            }
            for event in decoder.feed(chunk.readableBytesView) where !event.data.isEmpty {
                received.yield(Array(event.data.utf8))
            }
        }
    }
}

/// An HTTP answer the transport could not use.
struct HTTPStatusError: Error, CustomStringConvertible {
    let status: UInt
    let body: String
    var description: String { "HTTP \(status): \(body.prefix(200))" }
}
