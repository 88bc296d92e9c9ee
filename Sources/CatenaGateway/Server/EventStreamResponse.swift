import Catena
import CatenaOpenAI
import Foundation
import Hummingbird
import NIOCore

/// A streamed answer as server-sent events, in OpenAI's stream format: each chunk as it arrives (`data: {…}`),
/// then `data: [DONE]`.
enum EventStreamResponse {
    /// Waits for the stream's first chunk, so that a call that fails before it (no deployment answered) is an
    /// HTTP error, then answers with the events. A failure after the first chunk is an `error` event (the status
    /// was sent). When `request`'s client goes away, the stream is cancelled, which stops the upstream request.
    /// `finished` runs once the response ends, however it ends (not when this throws).
    static func start(
        _ stream: RunnableStream<CompletionResponse>, for request: Request, finished: @escaping @Sendable () -> Void
    ) async throws -> Response {
        let (first, rest): (CompletionResponse?, RunnableStream<CompletionResponse>)
        do {
            (first, rest) = try await stream.openingFirst()
        } catch {
            throw GatewayError(error)
        }
        let body = ResponseBody { writer in
            defer { finished() }
            try await request.body.consumeWithCancellationOnInboundClose { _ in
                let encoder = JSONEncoder()
                if let first { try await writer.write(event(try encoder.encode(first))) }
                do {
                    for try await chunk in rest { try await writer.write(event(try encoder.encode(chunk))) }
                } catch let error where !(error is CancellationError) {
                    try await writer.write(event(Data(GatewayError(error).body.serializedBytes)))
                }
                try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    /// `data: <json>` and the blank line that ends an event.
    private static func event(_ json: Data) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(json.count + 8)
        buffer.writeString("data: ")
        buffer.writeBytes(json)
        buffer.writeString("\n\n")
        return buffer
    }
}
