import AsyncHTTPClient
package import Catena
import Foundation
import NIOCore

extension ModelServerClient {
    /// The chunks of a streamed completion of `body` (which asks for `"stream": true`) on `route`. The request is
    /// sent when iteration starts and retried (reported through `onRetry`) only before any output.
    package func streamedChunks(
        route: ServerRoute, body: [UInt8], onRetry: @escaping @Sendable (RetryState) throws -> Void = { _ in }
    ) -> RunnableStream<CompletionResponse> {
        .deferred {
            let response = try await self.retrying(onRetry: onRetry) {
                try await self.send(route, body: body, streaming: true)
            }
            return ServerEventStream(body: response.body, text: \.text, redact: self.redact).payloads
        }
    }
}

/// The JSON payloads of a streamed response: SSE events decoded as they arrive, until `[DONE]`.
///
/// Failures are ``ModelServerError``s: an error object sent after the 200 is `.streamError`; a payload that does
/// not decode is `.decoding`; a body that breaks off (or ends without `[DONE]`) is `.streamInterrupted` with the text
/// received so far; cancellation is `.cancelled`.
struct ServerEventStream<Payload: Decodable & Sendable>: Sendable {
    let body: HTTPClientResponse.Body
    /// The text a payload adds to the output, for the partial output of an interrupted stream.
    let text: @Sendable (Payload) -> String
    /// Cuts the client's credentials out of what the server sent in an error or an undecodable payload.
    let redact: CredentialRedactor

    /// The payloads, pulled as the consumer iterates.
    var payloads: RunnableStream<Payload> {
        let body = body
        let text = text
        let redact = redact
        return RunnableStream {
            var bytes = body.makeAsyncIterator()
            var decoder = SSEDecoder()
            var pending: [ServerSentEvent] = []
            var position = 0
            var partial = ""
            var done = false
            return {
                while !done {
                    if position < pending.count {
                        let event = pending[position]
                        position += 1
                        if event.data == "[DONE]" {
                            done = true
                            return nil
                        }
                        let payload: Payload
                        do {
                            payload = try Self.decode(event.data)
                        } catch {
                            done = true
                            throw redact(error)
                        }
                        partial += text(payload)
                        return payload
                    }
                    pending = []
                    position = 0
                    let buffer: ByteBuffer?
                    do {
                        buffer = try await bytes.next(isolation: #isolation)
                    } catch {
                        done = true
                        throw Self.interruption(error, partial: partial)
                    }
                    if let buffer {
                        pending = decoder.feed(buffer.readableBytesView)
                    } else if let last = decoder.finish() {
                        pending = [last]
                    } else {
                        done = true
                        if Task.isCancelled { throw ModelServerError.cancelled }
                        throw ModelServerError.streamInterrupted(partial: partial, reason: "the stream ended without [DONE]")
                    }
                }
                return nil
            }
        }
    }

    /// A payload, or the error the server sent in its place.
    static func decode(_ data: String) throws -> Payload {
        do {
            return try ModelServerClient.decode(Payload.self, text: data)
        } catch {
            if let json = try? JSONValue(parsing: data), json["error"] != nil || json["object"] == "error" {
                throw ModelServerError.streamError(message: ServerErrorBody(json: json, fallback: data).message)
            }
            throw error
        }
    }

    /// The error for a body that failed while streaming.
    static func interruption(_ error: any Error, partial: String) -> ModelServerError {
        switch ModelServerError(transportError: error, url: "the server", while: "the next chunk of the stream") {
        case .cancelled: .cancelled
        case let other: .streamInterrupted(partial: partial, reason: "\(other)")
        }
    }
}
