public import Catena
public import CatenaOpenAI
import Foundation

extension CompletionClient {
    /// Sends `messages` to `model` and streams the answer's chunks (LiteLLM's `stream=True`).
    ///
    /// Nothing is sent until iteration starts. Each chunk reaches the loggers' stream hook; after the last one,
    /// post-API call and success fire once with the assembled response, usage and cost. A cached answer replays as a
    /// stream. Stopping early (or cancelling the consumer) logs one failure: the stream was not consumed to its end.
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

/// One iteration of a streaming call: resolves it on the first pull, then forwards the chunks and logs them.
final class StreamingCompletion {
    private let client: CompletionClient
    private let model: String
    private let target: String
    private let messages: [Message]
    private let options: CompletionOptions
    private let metadata: [String: JSONValue]
    private let routing: RoutingInformation?
    private var call: CompletionCall?
    private var upstream: RunnableStream<CompletionResponse>.Iterator?
    private var assembler = StreamAssembler()
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

    /// A stream dropped before its end logs one failure, so every call ends with success or failure.
    deinit {
        guard !finished, var call else { return }
        call.fail(CancellationError())
        call.payload.completeStreamingResponse = assembler.assembled
        let job = LogDelivery.Job(event: .failure, payload: call.payload, loggers: call.loggers)
        guard !job.loggers.isEmpty else { return }
        Task { [delivery = client.delivery] in await delivery.submit(job) }
    }

    /// The next chunk, or `nil` after the last.
    nonisolated(nonsending) func next() async throws -> CompletionResponse? {
        if finished { return nil }
        if upstream == nil {
            do {
                try await start()
            } catch {
                finished = true
                throw error
            }
        }
        do {
            guard let chunk = try await upstream!.next(isolation: #isolation) else {
                try await complete()
                return nil
            }
            if call!.payload.firstTokenTime == nil { call!.payload.firstTokenTime = Date() }
            assembler.add(chunk)
            await client.emit(.streamChunk(chunk), call!)
            return chunk
        } catch {
            finished = true
            call!.fail(error)
            call!.payload.completeStreamingResponse = assembler.assembled
            await client.emit(.failure, call!)
            throw error
        }
    }

    /// Resolves the call and opens the stream: the cache's replay, the mock, or the request.
    nonisolated(nonsending) private func start() async throws {
        var call = try await client.prepare(
            model: model, target: target, messages: messages, options: options, metadata: metadata, stream: true,
            routing: routing)
        if let cached = await client.cachedAnswer(&call) {
            upstream = RunnableStream.of(MockResponse.replay(cached.response)).makeAsyncIterator()
        } else {
            await client.emit(.preAPICall, call)
            if let mock = call.mockResponse {
                upstream = mock.stream(model: call.payload.providerModel ?? model, id: call.payload.callID).makeAsyncIterator()
            } else {
                upstream = call.deployment!.completionChunks(body: call.body).makeAsyncIterator()
            }
        }
        self.call = call
    }

    /// After the last chunk: post-API call (unless replayed from the cache), cost, cache, success.
    nonisolated(nonsending) private func complete() async throws {
        finished = true
        let response = assembler.assembled
        call!.payload.completeStreamingResponse = response
        if call!.payload.cacheHit == true {
            call!.payload.endTime = Date()
        } else {
            await client.emit(.postAPICall, call!)
            call!.succeed(usage: response.usage)
            await client.store(response, of: &call!)
        }
        await client.emit(.success, call!)
    }
}
