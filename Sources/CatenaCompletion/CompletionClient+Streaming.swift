public import Catena
public import CatenaOpenAI
import Foundation

extension CompletionClient {
    /// Sends `messages` to `model` and streams the answer's chunks (LiteLLM's `stream=True`).
    ///
    /// Nothing is sent until iteration starts. Whatever the provider's wire format, its chunks arrive in the OpenAI
    /// shape (the first with the role; usage as the running total). Each chunk reaches the loggers' stream hook;
    /// after the last one, post-API call and success fire once with the merged response, usage and cost. A cached
    /// answer replays as one chunk. Stopping early (or cancelling the consumer) logs one failure: the stream was not
    /// consumed to its end.
    public func streamingCompletion(
        model: String, messages: [Message], options: CompletionOptions = CompletionOptions(),
        metadata: [String: JSONValue] = [:]
    ) -> RunnableStream<CompletionResponse> {
        stream(model: model, target: model, messages: messages, options: options, metadata: metadata, routing: nil)
    }

    /// A streaming call to `target` (a `provider/name`), logged as `model`.
    func stream(
        model: String, target: String, messages: [Message], options: CompletionOptions,
        metadata: [String: JSONValue], routing: RoutingInformation?
    ) -> RunnableStream<CompletionResponse> {
        streaming(
            model: model, target: target, body: nil, messages: messages, options: options, metadata: metadata,
            routing: routing, { try $0.response })
    }

    /// A streaming call to `target` (a `provider/name`), logged as `model`, whose request the caller may have
    /// written in Chat Completions (`body`, read as `messages` and `options`): a deployment that speaks Chat
    /// Completions gets `body` (its model name set, the usage asked for) and its events come back as they are, read
    /// only for what the run accounts for (see ``relay(model:target:body:messages:options:metadata:routing:)``);
    /// any other answer comes as chunks in the OpenAI shape, as ``streamingCompletion(model:messages:options:metadata:)``
    /// yields them.
    package func relayStream(
        model: String, target: String, body: [UInt8]?, messages: [Message], options: CompletionOptions,
        metadata: [String: JSONValue], routing: RoutingInformation?
    ) -> RunnableStream<RelayedStreamPiece> {
        streaming(
            model: model, target: target, body: body, messages: messages, options: options, metadata: metadata,
            routing: routing, { $0 })
    }

    /// A streaming call's pieces, each made an element by `element` as it is pulled. The state is iterated
    /// directly, not through a second stream: each layer costs every chunk an async call (`catena-bench
    /// completion`, "completion(stream, mock) … per chunk": 3.60 → 3.43 µs).
    private func streaming<Element: Sendable>(
        model: String, target: String, body: [UInt8]?, messages: [Message], options: CompletionOptions,
        metadata: [String: JSONValue], routing: RoutingInformation?,
        _ element: @escaping @Sendable (RelayedStreamPiece) throws -> Element
    ) -> RunnableStream<Element> {
        RunnableStream {
            let state = StreamingCompletion(
                client: self, model: model, target: target, body: body, messages: messages, options: options,
                metadata: metadata, routing: routing)
            return { try await state.next().map(element) }
        }
    }
}

/// A piece of a relayed stream.
package enum RelayedStreamPiece: Sendable {
    /// An event of the deployment's stream, as it sent it (a chat completion chunk's JSON), with its summary, and
    /// whether more events arrived with it (to be passed on in the same write).
    case event(RelayedEvent, moreBuffered: Bool)
    /// A chunk in the OpenAI shape, from another wire format, a mock or the cache.
    case chunk(CompletionResponse)

    /// The piece as a chunk in the OpenAI shape.
    /// - Throws: `ModelServerError.decoding` when an event's data is no chat completion chunk.
    package var response: CompletionResponse {
        get throws {
            switch self {
            case .chunk(let chunk): chunk
            case .event(let event, _):
                try ModelServerClient.decode(CompletionResponse.self, from: Array(event.data.utf8))
            }
        }
    }
}

/// One iteration of a streaming call: resolves it on the first pull, then reports each chunk to the call's run and
/// yields it in the OpenAI shape.
final class StreamingCompletion {
    private let client: CompletionClient
    private let model: String
    private let target: String
    private let messages: [Message]
    private let options: CompletionOptions
    private let metadata: [String: JSONValue]
    private let routing: RoutingInformation?
    /// The caller's own Chat Completions body, when it may be relayed.
    private let body: [UInt8]?
    private var call: CompletionCall<CallRoute>?
    private var upstream: RunnableStream<Message>.Iterator?
    /// The deployment's events, in the batches they arrived in, when the call relays them.
    private var relayed: RunnableStream<[RelayedEvent]>.Iterator?
    /// The events of the last batch not yet passed on.
    private var relayedBatch: ArraySlice<RelayedEvent> = []
    /// What the relayed events said so far: what the run ends with.
    private var relayedSummary = CompletionSummary()
    private var translator = CompletionChunkTranslator(created: Int(Date().timeIntervalSince1970))
    /// The chunks so far, merged: what the run ends with.
    private var merged: Message?
    /// Whether the chunks replay a cached answer.
    private var replayed = false
    private var finished = false

    init(
        client: CompletionClient, model: String, target: String, body: [UInt8]?, messages: [Message],
        options: CompletionOptions, metadata: [String: JSONValue], routing: RoutingInformation?
    ) {
        self.client = client
        self.body = body
        self.model = model
        self.target = target
        self.messages = messages
        self.options = options
        self.metadata = metadata
        self.routing = routing
    }

    /// A stream dropped before its end ends its run with a cancellation, so every call ends with success or failure.
    deinit {
        guard !finished, let call else { return }
        try? call.run.onError(CancellationError(), partial: partial)
    }

    /// The next piece, or `nil` after the last.
    nonisolated(nonsending) func next() async throws -> RelayedStreamPiece? {
        if finished { return nil }
        if upstream == nil && relayed == nil {
            do {
                try await start()
            } catch {
                finished = true
                // A call that started its run ends it (one that could not be resolved has ended it already).
                try? call?.run.onError(error)
                throw error
            }
        }
        do {
            if relayed != nil {
                if relayedBatch.isEmpty {
                    guard let batch = try await relayed!.next(isolation: #isolation) else {
                        try completeRelayed()
                        return nil
                    }
                    relayedBatch = batch[...]
                }
                let event = relayedBatch.removeFirst()
                relayedSummary.add(event.summary)
                try call!.run.onNewToken(event.summary.text)
                return .event(event, moreBuffered: !relayedBatch.isEmpty)
            }
            guard let chunk = try await upstream!.next(isolation: #isolation) else {
                try await complete()
                return nil
            }
            if merged == nil { merged = chunk } else { merged!.append(chunk) }
            try call!.run.onNewToken(chunk.text, chunk: Generation(message: chunk))
            return .chunk(translator.chunk(chunk))
        } catch {
            finished = true
            try? call!.run.onError(error, partial: partial)
            throw error
        }
    }

    /// What was generated so far, as the run's partial result.
    private var partial: LLMResult {
        if relayed != nil { return LLMResult(ChatResult(relayedSummary)) }
        return merged.map { LLMResult(ChatResult(message: $0)) } ?? .empty
    }

    /// Resolves the call and opens the stream: the cache's replay, the mock, or the request.
    nonisolated(nonsending) private func start() async throws {
        let call = try client.startCall(
            model: model, target: target, messages: messages, options: options, metadata: metadata, stream: true,
            routing: routing, relayed: body)
        if call.mustWaitForRoom { await call.waitForRoom() }
        self.call = call
        let route = call.route
        if route.relaysBody && !call.readsWholeAnswer {
            try call.run.onRequest(body: route.body)
            relayed = route.deployment!.client.relayedEvents(
                route: .chatCompletions, body: route.body, onRetry: call.run.onRetry
            ).started(in: call.run.spanContext).makeAsyncIterator()
        } else if let cached = await client.cachedValue(for: call, decode: CachedCompletion.init(decoding:)) {
            replayed = true
            upstream = RunnableStream.of(ChatResult(cached.response).generations.prefix(1).compactMap(\.message))
                .makeAsyncIterator()
        } else {
            try call.run.onRequest(body: route.body)
            if let mock = route.mockResponse {
                upstream = mock.stream(model: route.providerModel, id: call.id, prompt: messages).makeAsyncIterator()
            } else {
                upstream = route.deployment!.chat.stream(body: route.body, run: call.run)
                    .started(in: call.run.spanContext).makeAsyncIterator()
            }
        }
    }

    /// After the last relayed event: the run's end, with what the events said.
    private func completeRelayed() throws {
        finished = true
        try call!.end(LLMResult(ChatResult(relayedSummary)), usage: relayedSummary.usage)
    }

    /// After the last chunk: the cache (unless replayed from it), then the run's end.
    nonisolated(nonsending) private func complete() async throws {
        finished = true
        let call = call!
        let result = ChatResult(message: merged ?? .assistant(""))
        // A replay from the cache is neither stored again nor costed.
        let response = replayed ? nil : CompletionResponse(translating: result, created: translator.created)
        if let response {
            await client.store({ try call.cacheEntry(for: response) }, for: call)
        }
        try call.end(LLMResult(result), usage: response?.usage, fromCache: replayed)
    }
}
