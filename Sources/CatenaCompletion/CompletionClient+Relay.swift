package import Catena
package import CatenaOpenAI

/// A whole answer as a relayed call got it.
package enum RelayedAnswer: Sendable {
    /// The deployment's answer body, exactly as it came (a Chat Completions answer).
    case bytes([UInt8])
    /// An answer that no deployment's bytes stand for: from another wire format, a mock or the cache.
    case response(CompletionResponse)

    /// The answer decoded.
    /// - Throws: `ModelServerError.decoding` when the bytes are no Chat Completions answer.
    var response: CompletionResponse {
        get throws {
            switch self {
            case .response(let response): response
            case .bytes(let bytes): try ModelServerClient.decode(CompletionResponse.self, from: bytes)
            }
        }
    }
}

extension CompletionClient {
    /// A non-streaming call to `target` (a `provider/name`), logged as `model`, whose request the caller wrote in
    /// Chat Completions (`body`, read as `messages` and `options`): a deployment that speaks Chat Completions gets
    /// `body` with its model name set and its answer's bytes come back as they are, read only for what the run
    /// accounts for (id, model, finish reasons, usage) unless a logger, the cache or captured content needs the
    /// whole answer; any other deployment is called as ``completion(model:messages:options:metadata:)`` does.
    package func relay(
        model: String, target: String, body: [UInt8], messages: [Message], options: CompletionOptions,
        metadata: [String: JSONValue], routing: RoutingInformation?
    ) async throws -> RelayedAnswer {
        try await answer(
            try startCall(
                model: model, target: target, messages: messages, options: options, metadata: metadata,
                stream: false, routing: routing, relayed: body))
    }

    /// The whole answer to a started call: from the cache, the mock, or the deployment (relayed when the route
    /// relays the caller's body), stored in the cache and ending the call's run.
    func answer(_ call: CompletionCall<CallRoute>) async throws -> RelayedAnswer {
        if call.mustWaitForRoom { await call.waitForRoom() }
        do {
            // Each await is skipped when it has nothing to do: an async call costs the task memory while in flight.
            if call.route.cacheKey != nil,
                let cached = await cachedValue(for: call, decode: CachedCompletion.init(decoding:))
            {
                return .response(try call.answer(fromCache: cached))
            }
            let reply: ProviderResponse?
            if call.route.relaysBody {
                let raw = try await call.sendRelayed()
                guard call.readsWholeAnswer else {
                    try call.run.onResponse(body: raw)
                    let summary = try call.route.deployment!.client.decoded(CompletionSummary.self, from: raw)
                    try call.end(LLMResult(ChatResult(summary)), usage: summary.usage)
                    return .bytes(raw)
                }
                let completion = try call.route.deployment!.client.decoded(ChatCompletion.self, from: raw)
                reply = ProviderResponse(result: ChatResult(completion), raw: raw, decoded: completion)
            } else {
                reply = call.route.mockResponse == nil ? try await call.send() : nil
            }
            let response = try call.received(reply)
            if call.route.cacheKey != nil {
                await store({ try call.cacheEntry(for: response) }, for: call)
            }
            try call.end(LLMResult(reply?.result ?? ChatResult(response)), usage: response.usage)
            return call.route.relaysBody ? .bytes(reply!.raw) : .response(response)
        } catch {
            call.fail(error)
            throw error
        }
    }
}

extension CompletionCall where Route == CallRoute {
    /// Whether something needs the whole answer decoded rather than its summary: a logger (its payload shows the
    /// response), the cache (it stores the response) or spans capturing message content.
    var readsWholeAnswer: Bool {
        logging != nil || route.cacheKey != nil || TelemetryContent.captured
    }
}
