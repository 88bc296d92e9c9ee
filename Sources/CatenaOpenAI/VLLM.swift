public import Catena

/// A text-completion model served by vLLM or any OpenAI-compatible server: `POST /completions`, with the same
/// parameters as ``ChatVLLM``.
///
/// ```swift
/// let model = VLLM(client: client, model: "local", parameters: .init(maxTokens: 16))
/// print(try await model.invoke("The capital of France is"))
/// ```
public struct VLLM: LLM {
    /// The server.
    public var client: ModelServerClient
    /// The model name sent as `model`.
    public var model: String
    /// The sampling parameters.
    public var parameters: SamplingParameters
    /// When `true`, `invoke` streams under the hood, so handlers see every token.
    public var streaming: Bool
    /// When streaming is turned off (a text model binds no tools: `.whenToolsBound` never turns it off).
    public var disableStreaming: StreamingSwitch
    /// Limits requests (not cache hits).
    public var rateLimiter: (any RateLimiter)?
    /// Answers repeated prompts.
    public var cache: (any ResponseCache)?

    /// Creates a text-completion model.
    public init(
        client: ModelServerClient, model: String, parameters: SamplingParameters = SamplingParameters(),
        streaming: Bool = false, disableStreaming: StreamingSwitch = .never, rateLimiter: (any RateLimiter)? = nil,
        cache: (any ResponseCache)? = nil
    ) {
        self.client = client
        self.model = model
        self.parameters = parameters
        self.streaming = streaming
        self.disableStreaming = disableStreaming
        self.rateLimiter = rateLimiter
        self.cache = cache
    }

    /// Whether streaming is off.
    public var disablesStreaming: Bool { disableStreaming.disablesStreaming(toolsBound: false) }

    /// `VLLM`, as runs are named.
    public var name: String { "VLLM" }
    /// `vllm`.
    public var llmType: String { "vllm" }
    /// The provider traces name: `vllm`.
    public var providerName: String { "vllm" }

    /// The model name and every sampling parameter that is sent.
    public var identifyingParameters: [String: JSONValue] { parameters.identifying(model: model, chat: false) }

    /// This model with bound parameters as extra request fields.
    public func applying(boundParameters: [String: JSONValue]) -> VLLM {
        var copy = self
        copy.parameters.extra.merge(boundParameters) { _, bound in bound }
        return copy
    }

    public func call(_ prompt: String, stop: [String]?, runManager: LLMRunManager) async throws -> String {
        if streaming, !disablesStreaming {
            var text = ""
            for try await chunk in streamed(prompt, stop: stop, runManager: runManager) {
                try runManager.onNewToken(chunk.text, chunk: chunk)
                text += chunk.text
            }
            return text
        }
        let completion = try await client.json(
            TextCompletion.self, route: .completions, body: request(prompt, stop: stop, stream: false),
            onRetry: runManager.onRetry)
        return completion.choices.first?.text ?? ""
    }

    public func callStream(_ prompt: String, stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Generation>?
    {
        streamed(prompt, stop: stop, runManager: runManager)
    }

    /// The completion's chunks; the request is sent when iteration starts and retried only before any output.
    private func streamed(_ prompt: String, stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Generation> {
        client.streamedChunks(
            route: .completions, body: request(prompt, stop: stop, stream: true), onRetry: runManager.onRetry
        ).compactMapChunks(Generation.init(chunk:))
    }

    /// The request body: model, prompt, set parameters and call stop sequences.
    func request(_ prompt: String, stop: [String]?, stream: Bool) -> [UInt8] {
        JSONValue.serializedObject(
            parameters.requestMembers(
                model: model, chat: false, content: [("prompt", .string(prompt))], stop: stop, stream: stream))
    }
}

extension Generation {
    /// The generation chunk of a streamed completion chunk (its first candidate), or `nil` when it carries nothing.
    init?(chunk: TextCompletion) {
        let choice = chunk.choices.first
        let metadata = WireResponseFields(id: chunk.id, model: chunk.model, fingerprint: chunk.systemFingerprint)
        var info = metadata.generationInfo(finishReason: choice?.finishReason, logprobs: choice?.logprobs)
        if let usage = chunk.usage { info["token_usage"] = metadata.llmOutput(usage: usage)["token_usage"] }
        let text = choice?.text ?? ""
        guard !text.isEmpty || !info.isEmpty else { return nil }
        self.init(text: text, info: info)
    }
}
