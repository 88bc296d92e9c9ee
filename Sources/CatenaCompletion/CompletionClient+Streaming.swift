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
        RunnableStream {
            let state = StreamingCompletion(
                client: self, model: model, target: target, messages: messages, options: options, metadata: metadata,
                routing: routing)
            return { try await state.next() }
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
    private var call: CompletionCall<CallRoute>?
    private var upstream: RunnableStream<Message>.Iterator?
    private var translator = CompletionChunkTranslator(created: Int(Date().timeIntervalSince1970))
    /// The chunks so far, merged: what the run ends with.
    private var merged: Message?
    /// Whether the chunks replay a cached answer.
    private var replayed = false
    private var finished = false

    init(
        client: CompletionClient, model: String, target: String, messages: [Message], options: CompletionOptions,
        metadata: [String: JSONValue], routing: RoutingInformation?
    ) {
        self.client = client
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

    /// The next chunk, or `nil` after the last.
    nonisolated(nonsending) func next() async throws -> CompletionResponse? {
        if finished { return nil }
        if upstream == nil {
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
            guard let chunk = try await upstream!.next(isolation: #isolation) else {
                try await complete()
                return nil
            }
            if merged == nil { merged = chunk } else { merged!.append(chunk) }
            try call!.run.onNewToken(chunk.text, chunk: Generation(message: chunk))
            return translator.chunk(chunk)
        } catch {
            finished = true
            try? call!.run.onError(error, partial: partial)
            throw error
        }
    }

    /// What was generated so far, as the run's partial result.
    private var partial: LLMResult {
        merged.map { LLMResult(ChatResult(message: $0)) } ?? .empty
    }

    /// Resolves the call and opens the stream: the cache's replay, the mock, or the request.
    nonisolated(nonsending) private func start() async throws {
        let call = try client.startCall(
            model: model, target: target, messages: messages, options: options, metadata: metadata, stream: true,
            routing: routing)
        if call.mustWaitForRoom { await call.waitForRoom() }
        self.call = call
        let route = call.route
        if let cached = await client.cachedValue(for: call, decode: CachedCompletion.init(decoding:)) {
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
