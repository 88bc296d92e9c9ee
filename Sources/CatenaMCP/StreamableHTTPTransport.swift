import AsyncHTTPClient
import CatenaOpenAI
import Foundation
import Logging
import MCP
import NIOCore
import NIOHTTP1

/// MCP's streamable HTTP transport on AsyncHTTPClient: each message is POSTed, and the answer read whether it comes
/// as JSON or as an event stream. (The SDK's own HTTP transport cannot read event-stream answers on Linux.)
actor StreamableHTTPTransport: Transport {
    /// The most bytes one answer may have; a server sending more fails the request.
    static let answerLimit = 16 * 1024 * 1024

    nonisolated let logger = Logger(label: "catena.mcp.http")
    private let endpoint: URL
    /// The session the server gave (`Mcp-Session-Id`), sent back with every later message.
    private var sessionID: String?
    private let messages: AsyncThrowingStream<Data, any Error>
    private let received: AsyncThrowingStream<Data, any Error>.Continuation

    init(endpoint: URL) {
        self.endpoint = endpoint
        (messages, received) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {}

    func disconnect() async {
        received.finish()
        guard let sessionID else { return }
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .DELETE
        request.headers.add(name: "Mcp-Session-Id", value: sessionID)
        _ = try? await HTTPClient.shared.execute(request, timeout: .seconds(5))
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { messages }

    /// POSTs `data` and hands on the messages of the answer, as they arrive.
    func send(_ data: Data) async throws {
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, text/event-stream")
        request.headers.add(name: "MCP-Protocol-Version", value: Version.latest)
        if let sessionID { request.headers.add(name: "Mcp-Session-Id", value: sessionID) }
        request.body = .bytes(ByteBuffer(bytes: data))
        let response = try await HTTPClient.shared.execute(request, timeout: .hours(24))
        if let session = response.headers.first(name: "Mcp-Session-Id") { sessionID = session }
        guard (200..<300).contains(response.status.code) else {
            let body = try? await response.body.collect(upTo: 4096)
            throw MCPError.transportError(
                HTTPStatusError(status: response.status.code, body: body.map { String(buffer: $0) } ?? ""))
        }
        if response.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true {
            try await forwardEvents(of: response.body)
        } else if response.status != .accepted {
            received.yield(Data(try await response.body.collect(upTo: Self.answerLimit).readableBytesView))
        }
    }

    /// Hands on each event's data of an event-stream answer.
    private func forwardEvents(of body: HTTPClientResponse.Body) async throws {
        var decoder = SSEDecoder()
        var size = 0
        for try await chunk in body {
            size += chunk.readableBytes
            guard size <= Self.answerLimit else {
                throw MCPError.transportError(
                    HTTPStatusError(status: 200, body: "the answer passed \(Self.answerLimit) bytes"))
            }
            for event in decoder.feed(chunk.readableBytesView) where !event.data.isEmpty {
                received.yield(Data(event.data.utf8))
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
