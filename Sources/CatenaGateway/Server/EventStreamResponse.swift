import Catena
import CatenaCompletion
import CatenaOpenAI
import Foundation
import Hummingbird
import NIOCore

/// How a streamed answer is written as server-sent events: OpenAI's chunks or Anthropic's events. Each event is
/// written into the buffer that goes out next, so that a chunk costs no buffer of its own.
protocol StreamFormat: Sendable {
    /// Writes the events for one chunk to `buffer`.
    mutating func write(_ chunk: CompletionResponse, to buffer: inout ByteBuffer) throws
    /// Writes the events for an event of the deployment's stream (a chat completion chunk as it sent it).
    mutating func write(relaying event: RelayedEvent, to buffer: inout ByteBuffer) throws
    /// Writes the events that end the stream.
    mutating func writeEnd(to buffer: inout ByteBuffer)
    /// Writes the event for a failure after the first chunk.
    mutating func writeFailure(_ error: GatewayError, to buffer: inout ByteBuffer)
}

extension StreamFormat {
    /// Writes the events for a piece of a relayed stream.
    mutating func write(_ piece: RelayedStreamPiece, to buffer: inout ByteBuffer) throws {
        switch piece {
        case .chunk(let chunk): try write(chunk, to: &buffer)
        case .event(let event, _): try write(relaying: event, to: &buffer)
        }
    }

    /// Writes the events for the chunk the event holds, decoded (only OpenAI's format passes events on as they are).
    mutating func write(relaying event: RelayedEvent, to buffer: inout ByteBuffer) throws {
        try write(try RelayedStreamPiece.event(event, moreBuffered: false).response, to: &buffer)
    }

    /// Writes `event: <name>` when named, `data: <json>` and the blank line that ends an event.
    static func writeEvent(_ json: some Sequence<UInt8>, named name: String? = nil, to buffer: inout ByteBuffer) {
        if let name {
            buffer.writeStaticString("event: ")
            buffer.writeString(name)
            buffer.writeStaticString("\n")
        }
        buffer.writeStaticString("data: ")
        buffer.writeBytes(json)
        buffer.writeStaticString("\n\n")
    }

    /// Writes each named event of `events`.
    static func writeEvents(_ events: [(String, JSONValue)], to buffer: inout ByteBuffer) {
        for (name, body) in events { writeEvent(body.serializedBytes, named: name, to: &buffer) }
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

    func write(_ chunk: CompletionResponse, to buffer: inout ByteBuffer) throws {
        var chunk = chunk
        chunk.model = model
        if !includeUsage, chunk.usage != nil {
            guard !chunk.choices.isEmpty else { return }
            chunk.usage = nil
        }
        Self.writeEvent(
            text ? try JSONValue(encoding: chunk.asTextCompletion).serializedBytes : try ChunkJSON.bytes(chunk),
            to: &buffer)
    }
    /// The event as it came, but the usage-only last event when the request did not ask for the usage.
    func write(relaying event: RelayedEvent, to buffer: inout ByteBuffer) {
        guard includeUsage || !event.summary.reportsUsageOnly else { return }
        Self.writeEvent(event.data.utf8, to: &buffer)
    }
    func writeEnd(to buffer: inout ByteBuffer) { buffer.writeStaticString("data: [DONE]\n\n") }
    func writeFailure(_ error: GatewayError, to buffer: inout ByteBuffer) {
        Self.writeEvent(error.body.serializedBytes, to: &buffer)
    }
}

/// Anthropic's stream: named events, from `message_start` to `message_stop`.
struct AnthropicStreamFormat: StreamFormat {
    var writer: MessagesResponse.EventWriter

    mutating func write(_ chunk: CompletionResponse, to buffer: inout ByteBuffer) {
        Self.writeEvents(writer.events(for: chunk), to: &buffer)
    }
    mutating func writeEnd(to buffer: inout ByteBuffer) { Self.writeEvents(writer.end(), to: &buffer) }
    func writeFailure(_ error: GatewayError, to buffer: inout ByteBuffer) {
        Self.writeEvent(error.anthropicBody.serializedBytes, named: "error", to: &buffer)
    }
}

/// The Responses API's stream: named events, from `response.created` to `response.completed`.
struct ResponsesStreamFormat: StreamFormat {
    var writer: ResponsesResponse.EventWriter

    mutating func write(_ chunk: CompletionResponse, to buffer: inout ByteBuffer) {
        Self.writeEvents(writer.events(for: chunk), to: &buffer)
    }
    mutating func writeEnd(to buffer: inout ByteBuffer) { Self.writeEvents(writer.end(), to: &buffer) }
    mutating func writeFailure(_ error: GatewayError, to buffer: inout ByteBuffer) {
        Self.writeEvents([writer.failure(error)], to: &buffer)
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
                            try format.write(current, to: &held)
                            if case .event(_, moreBuffered: true) = current {
                            } else if held.readableBytes > 0 {
                                try await writer.write(held)
                                held.clear()
                            }
                            piece = try await pieces.next(isolation: #isolation)
                        }
                    } catch let error where !(error is CancellationError) {
                        format.writeFailure(GatewayError(error), to: &held)
                    }
                    format.writeEnd(to: &held)
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
