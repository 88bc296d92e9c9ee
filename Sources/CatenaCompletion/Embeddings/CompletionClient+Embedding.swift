public import Catena
import CatenaOpenAI

extension CompletionClient {
    /// Embeds each text of `input` with `model` (`provider/name`, such as `openai/text-embedding-3-small` or
    /// `hosted_vllm/…`): one vector per text, in input order (LiteLLM's `embedding`).
    ///
    /// Logged, costed and cached as a completion is: the call is an embedding model run (its handlers get its
    /// start, the exact request body, the response and the end with the token usage), and its loggers' hooks fire
    /// once each (pre-API call, post-API call, then success or failure) with ``LoggingPayload/callType``
    /// `.embedding`, the texts in ``LoggingPayload/input``, usage and cost. A cache hit fires only success, costs
    /// nothing and reports the saved cost.
    ///
    /// ```swift
    /// let answer = try await llm.embedding(model: "hosted_vllm/local", input: ["a cat", "a dog"],
    ///                                      options: .init(apiBase: "http://127.0.0.1:8092/v1"))
    /// print(answer.vectors.count, answer.usage?.inputTokens ?? 0)
    /// ```
    /// - Parameters:
    ///   - model: The model reference (`provider/name`).
    ///   - input: The texts, each embedded apart.
    ///   - dimensions: The vectors' length, for models that can shorten them (`nil`: the model's own).
    ///   - options: The call's base URL, key, timeout, retries, headers, cache control, loggers and handlers.
    ///   - metadata: Your metadata, passed to the loggers in the payload.
    /// - Throws: ``CompletionError`` for an unknown provider, missing configuration or a provider that cannot
    ///   embed; `ModelServerError` when the call fails or the answer lacks a vector.
    public func embedding(
        model: String, input: [String], dimensions: Int? = nil, options: CompletionOptions = CompletionOptions(),
        metadata: [String: JSONValue] = [:]
    ) async throws -> EmbeddingResponse {
        let call = try begin(
            { callID in
                LoggingPayload.initial(
                    callID: callID, traceID: options.traceID, callType: .embedding, model: model, messages: [],
                    input: input, metadata: metadata,
                    routing: nil)
            },
            options: options,
            route: Result {
                try EmbeddingRoute(
                    model: model, input: input, dimensions: dimensions, options: options, providers: providers,
                    prices: prices, usesCache: cache != nil)
            },
            startRun: { callbacks, route in
                try callbacks.startEmbedding(name: model, inputs: input, parameters: route?.invocationParameters ?? [:])
            })
        if call.mustWaitForRoom { await call.waitForRoom() }
        do {
            if let cached = await cachedValue(for: call, decode: CachedEmbedding.init(decoding:)) {
                call.logging?.update { $0.usage = cached.usage.map(WireUsage.init(translating:)) }
                try call.end(Self.result(of: cached.response), usage: nil, fromCache: true)
                return cached.response
            }
            let route = call.route
            try call.run.onRequest(body: route.body)
            let reply = try await route.embeddings.embed(body: route.body, inputs: input.count)
            try call.run.onResponse(body: reply.raw)
            let usage = reply.response.usage.map(WireUsage.init(translating:))
            call.logging?.update { $0.usage = usage }
            await store({ try CachedEmbedding(reply.response, cost: call.cost(of: usage)).encoded() }, for: call)
            try call.end(Self.result(of: reply.response), usage: usage)
            return reply.response
        } catch {
            call.fail(error)
            throw error
        }
    }

    /// An embedding run's end: no generations, the token usage and the model as provider-level output.
    private static func result(of response: EmbeddingResponse) -> LLMResult {
        var output: [String: JSONValue] = [:]
        if let usage = response.usage {
            output["token_usage"] = [
                "prompt_tokens": .int(usage.inputTokens), "completion_tokens": 0,
                "total_tokens": .int(usage.totalTokens),
            ]
        }
        if let model = response.model { output["model_name"] = .string(model) }
        return LLMResult(generations: [], llmOutput: output)
    }
}
