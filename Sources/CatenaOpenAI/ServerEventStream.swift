import AsyncHTTPClient
public import Catena
import Foundation
import NIOCore

extension ModelServerClient {
    /// The chunks of a streamed completion of `body` (which asks for `"stream": true`) on `route`. The request is
    /// sent when iteration starts and retried (reported through `onRetry`) only before any output.
    package func streamedChunks(
        route: ServerRoute, body: [UInt8], onRetry: @escaping @Sendable (RetryState) throws -> Void = { _ in }
    ) -> RunnableStream<CompletionResponse> {
        streamedEvents(route: route, body: body, format: OpenAIEventFormat(), onRetry: onRetry)
    }

    /// The payloads `format` reads from the events of a streamed response to `body` on `route`. The request is
    /// sent when iteration starts and retried (reported through `onRetry`) only before any output.
    public func streamedEvents<Format: EventStreamFormat>(
        route: ServerRoute, body: [UInt8], format: Format,
        onRetry: @escaping @Sendable (RetryState) throws -> Void = { _ in }
    ) -> RunnableStream<Format.Payload> {
        .deferred { try await self.eventStream(route: route, body: body, format: format, onRetry: onRetry).payloads }
    }

    /// The events of the response to `body` on `route`, once it answered (retried only until then).
    func eventStream<Format: EventStreamFormat>(
        route: ServerRoute, body: [UInt8], format: Format, onRetry: (RetryState) throws -> Void
    ) async throws -> ServerEventStream<Format> {
        let response = try await retrying(onRetry: onRetry) { try await send(route, body: body, streaming: true) }
        return ServerEventStream(body: response.body, format: format, redact: redact)
    }
}

/// How one wire format's server-sent events become payloads: a state machine fed one event at a time, apart from
/// any I/O.
public protocol EventStreamFormat: Sendable {
    associatedtype Payload: Sendable
    /// The event that ends a complete stream (`[DONE]`, `message_stop`, …), named in the error of a stream that
    /// ends without it.
    static var lastEvent: String { get }
    /// Reads one event: a payload to yield, nothing to yield, or the end of the stream.
    /// - Throws: ``ModelServerError/streamError(message:)`` for an error the server sent, or
    ///   ``ModelServerError/decoding(payload:reason:)`` for an event that does not decode.
    mutating func read(_ event: ServerSentEvent) throws -> EventStreamStep<Payload>
    /// The text a payload adds to the output, for the partial output of an interrupted stream.
    func text(of payload: Payload) -> String
}

extension EventStreamFormat {
    /// The event's data as JSON.
    /// - Throws: ``ModelServerError/decoding(payload:reason:)`` when it is not JSON.
    public static func json(of event: ServerSentEvent) throws -> JSONValue {
        do {
            return try JSONValue(parsing: event.data)
        } catch {
            throw ModelServerError.decoding(payload: event.data, reason: "a stream event is not JSON: \(error)")
        }
    }

    /// The name of a JSON event: its `type` member, else its `event:` field.
    public static func type(of json: JSONValue, event: ServerSentEvent) -> String? {
        json["type"]?.stringValue ?? event.event
    }
}

extension EventStreamFormat where Payload == Message {
    /// A message chunk's text.
    public func text(of payload: Message) -> String { payload.text }
}

/// What one event of a stream amounts to.
public enum EventStreamStep<Payload> {
    /// A payload to yield.
    case payload(Payload)
    /// The last payload: the stream is complete after it.
    case last(Payload)
    /// Nothing to yield (a ping, a start or stop marker).
    case skip
    /// The stream is complete.
    case end
}

/// The JSON payloads of a streamed response: SSE events decoded as they arrive, until the format's last event.
///
/// Failures are ``ModelServerError``s: an error object sent after the 200 is `.streamError`; a payload that does
/// not decode is `.decoding`; a body that breaks off (or ends without the last event) is `.streamInterrupted` with
/// the text received so far; cancellation is `.cancelled`.
struct ServerEventStream<Format: EventStreamFormat>: Sendable {
    let body: HTTPClientResponse.Body
    let format: Format
    /// Cuts the client's credentials out of what the server sent in an error or an undecodable payload.
    let redact: CredentialRedactor

    /// The payloads, pulled as the consumer iterates.
    var payloads: RunnableStream<Format.Payload> {
        let (body, format, redact) = (body, format, redact)
        return RunnableStream {
            var reader = EventReader(body: body, format: format, redact: redact)
            return { try await reader.next() }
        }
    }

    /// The payloads in the batches they arrived in: each holds the payloads of the events that one read from the
    /// network completed, so that they can be passed on in one write.
    var batches: RunnableStream<[Format.Payload]> {
        let (body, format, redact) = (body, format, redact)
        return RunnableStream {
            var reader = EventReader(body: body, format: format, redact: redact)
            return { try await reader.nextBatch() }
        }
    }
}

/// One iteration's reading of a stream: the body's bytes, the SSE decoder, the format's state and the events
/// decoded but not yet read.
private struct EventReader<Format: EventStreamFormat> {
    private var bytes: HTTPClientResponse.Body.AsyncIterator
    private var decoder = SSEDecoder()
    private var format: Format
    private let redact: CredentialRedactor
    private var pending: [ServerSentEvent] = []
    private var position = 0
    private var partial = ""
    private var done = false

    init(body: HTTPClientResponse.Body, format: Format, redact: CredentialRedactor) {
        bytes = body.makeAsyncIterator()
        self.format = format
        self.redact = redact
    }

    /// What the events already decoded hold next.
    private enum Pending {
        /// A payload.
        case payload(Format.Payload)
        /// None is left: the network must be read.
        case exhausted
        /// The stream is complete.
        case finished
    }

    /// The next payload, or `nil` after the last.
    mutating func next() async throws -> Format.Payload? {
        while !done {
            switch try nextPending() {
            case .payload(let payload): return payload
            case .finished: return nil
            case .exhausted: try await read()
            }
        }
        return nil
    }

    /// The next payload and those after it that the same read decoded, or `nil` after the last.
    mutating func nextBatch() async throws -> [Format.Payload]? {
        guard let first = try await next() else { return nil }
        var batch = [first]
        while case .payload(let payload) = try nextPending() { batch.append(payload) }
        return batch
    }

    /// The next payload among the events already decoded.
    private mutating func nextPending() throws -> Pending {
        while !done && position < pending.count {
            let event = pending[position]
            position += 1
            let step: EventStreamStep<Format.Payload>
            do {
                step = try format.read(event)
            } catch {
                done = true
                throw redact(error)
            }
            switch step {
            case .payload(let payload):
                partial += format.text(of: payload)
                return .payload(payload)
            case .last(let payload):
                done = true
                return .payload(payload)
            case .skip:
                continue
            case .end:
                done = true
                return .finished
            }
        }
        return done ? .finished : .exhausted
    }

    /// Reads the body's next bytes into events.
    private mutating func read() async throws {
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
            throw ModelServerError.streamInterrupted(
                partial: partial, reason: "the stream ended without \(Format.lastEvent)")
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

/// Chat and text completions streams: one JSON chunk per event, until `[DONE]`.
struct OpenAIEventFormat: EventStreamFormat {
    static var lastEvent: String { "[DONE]" }

    func read(_ event: ServerSentEvent) throws -> EventStreamStep<CompletionResponse> {
        event.data == "[DONE]" ? .end : .payload(try Self.decode(event.data))
    }

    func text(of payload: CompletionResponse) -> String { payload.text }

    /// A payload read as `T`, or the error the server sent in its place.
    static func decode<T: Decodable>(_ data: String, as type: T.Type = CompletionResponse.self) throws -> T {
        do {
            return try ModelServerClient.decode(T.self, text: data)
        } catch {
            if let json = try? JSONValue(parsing: data), json["error"] != nil || json["object"] == "error" {
                throw ModelServerError.streamError(message: ServerErrorBody(json: json, fallback: data).message)
            }
            throw error
        }
    }
}

/// A chat completions stream passed on as it comes: each event's data as sent, with the summary accounting needs.
struct RelayedEventFormat: EventStreamFormat {
    static var lastEvent: String { "[DONE]" }

    func read(_ event: ServerSentEvent) throws -> EventStreamStep<RelayedEvent> {
        guard event.data != "[DONE]" else { return .end }
        return .payload(
            RelayedEvent(
                data: event.data, summary: try OpenAIEventFormat.decode(event.data, as: CompletionSummary.self)))
    }

    /// Nothing: a relayed event's text is not read.
    func text(of payload: RelayedEvent) -> String { "" }
}

/// One event of a relayed stream: its data as the server sent it, and what accounting reads from it. A class: each
/// event passes through several layers on its way out, and a copy is then one reference, not one per field
/// (`catena-bench gateway`, streaming overhead per chunk: 1.93–1.97 → 1.86–1.90 µs).
package final class RelayedEvent: Sendable {
    /// The event's data: one chat completion chunk's JSON.
    package let data: String
    /// The chunk's id, model, finish reasons and usage.
    package let summary: CompletionSummary

    init(data: String, summary: CompletionSummary) {
        self.data = data
        self.summary = summary
    }
}

extension ModelServerClient {
    /// The events of a streamed chat completion of `body` on `route`, passed on as they come, in the batches one
    /// read from the network completed (see ``streamedChunks(route:body:onRetry:)``).
    package func relayedEvents(
        route: ServerRoute, body: [UInt8], onRetry: @escaping @Sendable (RetryState) throws -> Void = { _ in }
    ) -> RunnableStream<[RelayedEvent]> {
        .deferred {
            try await self.eventStream(route: route, body: body, format: RelayedEventFormat(), onRetry: onRetry).batches
        }
    }
}
