import Catena
import CatenaCompletion
import CatenaOpenAI
import Foundation
import Hummingbird
import NIOCore

/// How a streamed answer is written as server-sent events: OpenAI's chunks or Anthropic's events.
protocol StreamFormat: Sendable {
    /// The events for one chunk.
    mutating func events(for chunk: CompletionResponse) throws -> [ByteBuffer]
    /// The events for an event of the deployment's stream (a chat completion chunk as it sent it).
    mutating func events(relaying event: RelayedEvent) throws -> [ByteBuffer]
    /// The events that end the stream.
    mutating func end() -> [ByteBuffer]
    /// The event for a failure after the first chunk.
    mutating func failure(_ error: GatewayError) -> ByteBuffer
}

extension StreamFormat {
    /// The events for a piece of a relayed stream.
    mutating func events(for piece: RelayedStreamPiece) throws -> [ByteBuffer] {
        switch piece {
        case .chunk(let chunk): try events(for: chunk)
        case .event(let event, _): try events(relaying: event)
        }
    }

    /// The events for the chunk the event holds, decoded (only OpenAI's format passes events on as they are).
    mutating func events(relaying event: RelayedEvent) throws -> [ByteBuffer] {
        try events(for: try RelayedStreamPiece.event(event, moreBuffered: false).response)
    }

    /// `event: <name>` when named, `data: <json>` and the blank line that ends an event.
    static func event(_ json: some Sequence<UInt8>, named name: String? = nil) -> ByteBuffer {
        var buffer = ByteBuffer()
        if let name { buffer.writeString("event: \(name)\n") }
        buffer.writeString("data: ")
        buffer.writeBytes(json)
        buffer.writeString("\n\n")
        return buffer
    }
}

/// OpenAI's stream: each chunk as `data: {…}` (chat completion chunks, or completions' `text_completion` chunks),
/// then `data: [DONE]`. Every chunk names the model asked for, except a deployment's events passed on as they are
/// (they name the model that answered, as a relayed whole answer does); the usage is sent only when the request
/// asked for it (`stream_options.include_usage`), as OpenAI's API does.
struct OpenAIStreamFormat: StreamFormat {
    /// The model the request asked for, which every chunk names.
    let model: String
    /// Whether the usage the upstream reported is passed on.
    let includeUsage: Bool
    /// Whether the chunks are the completions API's.
    var text = false

    mutating func events(for chunk: CompletionResponse) throws -> [ByteBuffer] {
        var chunk = chunk
        chunk.model = model
        if !includeUsage, chunk.usage != nil {
            guard !chunk.choices.isEmpty else { return [] }
            chunk.usage = nil
        }
        return [
            Self.event(
                text ? try JSONValue(encoding: chunk.asTextCompletion).serializedBytes : try ChunkJSON.bytes(chunk))
        ]
    }
    /// The event as it came, but the usage-only last event when the request did not ask for the usage.
    func events(relaying event: RelayedEvent) -> [ByteBuffer] {
        guard includeUsage || !event.summary.reportsUsageOnly else { return [] }
        return [Self.event(event.data.utf8)]
    }
    func end() -> [ByteBuffer] { [ByteBuffer(string: "data: [DONE]\n\n")] }
    func failure(_ error: GatewayError) -> ByteBuffer { Self.event(error.body.serializedBytes) }
}

/// Anthropic's stream: named events, from `message_start` to `message_stop`.
struct AnthropicStreamFormat: StreamFormat {
    var writer: MessagesResponse.EventWriter

    mutating func events(for chunk: CompletionResponse) -> [ByteBuffer] {
        writer.events(for: chunk).map { Self.event($0.1.serializedBytes, named: $0.0) }
    }
    mutating func end() -> [ByteBuffer] { writer.end().map { Self.event($0.1.serializedBytes, named: $0.0) } }
    func failure(_ error: GatewayError) -> ByteBuffer {
        Self.event(error.anthropicBody.serializedBytes, named: "error")
    }
}

/// The Responses API's stream: named events, from `response.created` to `response.completed`.
struct ResponsesStreamFormat: StreamFormat {
    var writer: ResponsesResponse.EventWriter

    mutating func events(for chunk: CompletionResponse) -> [ByteBuffer] {
        writer.events(for: chunk).map { Self.event($0.1.serializedBytes, named: $0.0) }
    }
    mutating func end() -> [ByteBuffer] { writer.end().map { Self.event($0.1.serializedBytes, named: $0.0) } }
    mutating func failure(_ error: GatewayError) -> ByteBuffer {
        let (name, body) = writer.failure(error)
        return Self.event(body.serializedBytes, named: name)
    }
}

/// A streamed answer as server-sent events.
enum EventStreamResponse {
    /// Waits for the stream's first chunk, so that a call that fails before it (no deployment answered) is an
    /// HTTP error, then answers with the events in `format` (those of events that arrived together in one write). A failure after the first chunk is an error event
    /// (the status was sent). When `request`'s client goes away, the stream is cancelled, which stops the upstream
    /// request. Watching for the client going away consumes the connection, so the response says `Connection: close`
    /// (a client that pooled the connection for its next request would otherwise find it closed under that request).
    /// `finished` runs once the response ends, however it ends (not when this throws).
    static func start(
        _ stream: RunnableStream<RelayedStreamPiece>, for request: Request, format: some StreamFormat,
        finished: @escaping @Sendable () async -> Void
    ) async throws -> Response {
        let (first, rest): (RelayedStreamPiece?, RunnableStream<RelayedStreamPiece>)
        do {
            (first, rest) = try await stream.openingFirst()
        } catch {
            throw GatewayError(error)
        }
        let body = ResponseBody { writer in
            do {
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    var format = format
                    // Events that arrived together from the deployment go out in one write.
                    var held = ByteBuffer()
                    do {
                        var pieces = rest.makeAsyncIterator()
                        var piece = first
                        while let current = piece {
                            for event in try format.events(for: current) { held.writeImmutableBuffer(event) }
                            if case .event(_, moreBuffered: true) = current {
                            } else if held.readableBytes > 0 {
                                try await writer.write(held)
                                held.clear()
                            }
                            piece = try await pieces.next(isolation: #isolation)
                        }
                    } catch let error where !(error is CancellationError) {
                        held.writeImmutableBuffer(format.failure(GatewayError(error)))
                    }
                    for event in format.end() { held.writeImmutableBuffer(event) }
                    try await writer.write(held)
                }
            } catch {
                await finished()
                throw error
            }
            await finished()
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", .connection: "close"],
            body: body)
    }
}
