/// A chat model over any ``ChatProvider``: prompts, parsers, streaming, batches, stream events, callbacks, stop
/// sequences, rate limiting and caching all apply, whatever the wire format.
///
/// ```swift
/// let claude = ProviderChatModel(provider: AnthropicMessagesProvider(client: client), model: "claude-sonnet-4-5",
///                                parameters: .init(temperature: 0, maxTokens: 256))
/// let chain = ChatPromptTemplate([.user("{question}")]) | claude | StringOutputParser()
/// ```
public struct ProviderChatModel: ChatModel, ToolCallingChatModel, StructuredOutputChatModel {
    /// The service and its wire format.
    public var provider: any ChatProvider
    /// The model name sent.
    public var model: String
    /// Sampling settings and provider-specific fields.
    public var parameters: ChatParameters
    /// Tools the model may call.
    public var tools: [ToolDefinition]
    /// Which tool the model may or must call (`nil`: the provider's default).
    public var toolChoice: ToolChoice?
    /// The answer's required shape (`nil`: free text).
    public var responseFormat: ResponseFormat?
    /// When `true`, `invoke` streams under the hood, so handlers see every token.
    public var streaming: Bool
    /// When streaming is turned off.
    public var disableStreaming: StreamingSwitch
    /// Limits requests (not cache hits).
    public var rateLimiter: (any RateLimiter)?
    /// Answers repeated prompts.
    public var cache: (any ResponseCache)?

    /// Creates a chat model.
    public init(
        provider: any ChatProvider, model: String, parameters: ChatParameters = ChatParameters(),
        tools: [ToolDefinition] = [], toolChoice: ToolChoice? = nil, responseFormat: ResponseFormat? = nil,
        streaming: Bool = false, disableStreaming: StreamingSwitch = .never, rateLimiter: (any RateLimiter)? = nil,
        cache: (any ResponseCache)? = nil
    ) {
        self.provider = provider
        self.model = model
        self.parameters = parameters
        self.tools = tools
        self.toolChoice = toolChoice
        self.responseFormat = responseFormat
        self.streaming = streaming
        self.disableStreaming = disableStreaming
        self.rateLimiter = rateLimiter
        self.cache = cache
    }

    /// `ProviderChatModel`, as runs are named.
    public var name: String { "ProviderChatModel" }
    /// The provider's name.
    public var llmType: String { provider.providerName }
    /// The provider traces name: the wire provider's.
    public var providerName: String { provider.providerName }

    /// Whether streaming is off for this configuration.
    public var disablesStreaming: Bool { disableStreaming.disablesStreaming(toolsBound: !tools.isEmpty) }

    /// The model name, the set parameters, and the bound tools' names.
    public var identifyingParameters: [String: JSONValue] {
        var fields = parameters.identifying
        fields["model"] = .string(model)
        if !tools.isEmpty { fields["tools"] = .array(tools.map { .string($0.name) }) }
        return fields
    }

    /// This model, answering in `format` (or freely, for `nil`).
    public func withResponseFormat(_ format: ResponseFormat?) -> ProviderChatModel {
        var copy = self
        copy.responseFormat = format
        return copy
    }

    /// This model with tool definitions (raw JSON schemas) bound, and optionally a tool choice.
    public func bindingTools(_ definitions: [ToolDefinition], choice: ToolChoice? = nil) -> ProviderChatModel {
        var copy = self
        copy.tools = definitions
        copy.toolChoice = choice ?? toolChoice
        return copy
    }

    /// This model with bound parameters as extra request fields.
    public func applying(boundParameters: [String: JSONValue]) -> ProviderChatModel {
        var copy = self
        copy.parameters.extra.merge(boundParameters) { _, bound in bound }
        return copy
    }

    /// The provider's answer (streamed and merged when ``streaming`` is set); the run sees the exact request body
    /// and the response as received.
    public func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
        if streaming {
            return try await stream(messages, stop: stop, runManager: runManager).collectReportingTokens(to: runManager)
        }
        let body = try provider.requestBody(request(messages, stop: stop), stream: false)
        try runManager.onRequest(body: body)
        let reply = try await provider.respond(body: body, run: runManager)
        try runManager.onResponse(body: reply.raw)
        return reply.result
    }

    /// The provider's stream; the run sees the exact request body when iteration starts.
    public func generateStream(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) -> RunnableStream<
        Message
    >? {
        stream(messages, stop: stop, runManager: runManager)
    }

    /// The provider's stream, reporting the request body to the run when iteration starts.
    private func stream(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Message> {
        let request = request(messages, stop: stop)
        let provider = provider
        return RunnableStream(start: {
            let body = try provider.requestBody(request, stream: true)
            try runManager.onRequest(body: body)
            let source = provider.stream(body: body, run: runManager)
            return try await source.start()
        })
    }

    /// The wire-neutral request for `messages`, the call's stop sequences merged into the parameters'.
    public func request(_ messages: [Message], stop: [String]?) -> ChatRequest {
        var parameters = parameters
        if let stop, !stop.isEmpty { parameters.stop = (parameters.stop ?? []) + stop }
        return ChatRequest(
            model: model, messages: messages, parameters: parameters, tools: tools, toolChoice: toolChoice,
            responseFormat: responseFormat)
    }
}

extension RunnableStream where Element == Message {
    /// The chunks merged into one answer, each reported as a new token first: how a model whose `invoke` streams
    /// under the hood lets handlers see every token.
    package func collectReportingTokens(to runManager: LLMRunManager) async throws -> ChatResult {
        var total: Message?
        for try await chunk in self {
            try runManager.onNewToken(chunk.text, chunk: Generation(message: chunk))
            if total == nil { total = chunk } else { total!.append(chunk) }
        }
        return ChatResult(message: total ?? .assistant(""))
    }
}
