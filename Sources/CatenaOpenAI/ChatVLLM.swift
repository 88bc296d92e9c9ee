public import Catena

/// A chat model served by vLLM or any OpenAI-compatible server (llama.cpp's server, OpenAI, Oracle Cloud model
/// deployments through `CatenaOCI`'s endpoint): `POST /chat/completions`.
///
/// Invoke, stream (SSE), batch, stream events, callbacks, retries, rate limiting and caching all apply.
///
/// ```swift
/// let model = ChatVLLM(client: client, model: "local", parameters: .init(temperature: 0, maxTokens: 64))
/// for try await chunk in model.stream("Name three colours.") { print(chunk.text, terminator: "") }
/// ```
public struct ChatVLLM: ChatModel, ToolCallingChatModel, StructuredOutputChatModel {
    /// The server.
    public var client: ModelServerClient
    /// The model name sent as `model` (the name the server serves; `odsc-llm` on OCI AI Quick Actions deployments).
    public var model: String
    /// The sampling parameters.
    public var parameters: SamplingParameters
    /// Tools the model may call.
    public var tools: [ToolDefinition]
    /// Which tool the model may or must call (`nil`: not sent).
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
        client: ModelServerClient, model: String, parameters: SamplingParameters = SamplingParameters(),
        tools: [ToolDefinition] = [], toolChoice: ToolChoice? = nil, responseFormat: ResponseFormat? = nil,
        streaming: Bool = false, disableStreaming: StreamingSwitch = .never, rateLimiter: (any RateLimiter)? = nil,
        cache: (any ResponseCache)? = nil
    ) {
        self.client = client
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

    /// `ChatVLLM`, as runs are named.
    public var name: String { "ChatVLLM" }
    /// `vllm`.
    public var llmType: String { "vllm" }
    /// The provider traces name: `vllm`.
    public var providerName: String { "vllm" }

    /// The model name and every sampling parameter that is sent.
    public var identifyingParameters: [String: JSONValue] { parameters.identifying(model: model, chat: true) }

    /// This model with bound parameters as extra request fields.
    public func applying(boundParameters: [String: JSONValue]) -> ChatVLLM {
        var copy = self
        copy.parameters.extra.merge(boundParameters) { _, bound in bound }
        return copy
    }

    /// Whether streaming is off for this configuration.
    public var disablesStreaming: Bool { disableStreaming.disablesStreaming(toolsBound: !tools.isEmpty) }

    /// This model, answering in `format` (or freely, for `nil`).
    public func withResponseFormat(_ format: ResponseFormat?) -> ChatVLLM {
        var copy = self
        copy.responseFormat = format
        return copy
    }

    /// This model with tool definitions (raw JSON schemas) bound, and optionally a tool choice.
    public func bindingTools(_ definitions: [ToolDefinition], choice: ToolChoice? = nil) -> ChatVLLM {
        var copy = self
        copy.tools = definitions
        copy.toolChoice = choice ?? toolChoice
        return copy
    }

    /// The answer, from the server's Chat Completions route (streamed and merged when ``streaming`` is set and
    /// streaming is not disabled).
    public func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
        try await providerModel.generate(messages, stop: stop, runManager: runManager)
    }

    /// The answer's chunks.
    public func generateStream(
        _ messages: [Message], stop: [String]?, runManager: LLMRunManager
    ) -> RunnableStream<Message>? {
        providerModel.generateStream(messages, stop: stop, runManager: runManager)
    }

    /// The exact request body this model sends for `messages`: model, messages, tools, tool choice and response
    /// format, set parameters, the call's stop sequences, and stream options when `stream` is set.
    public func requestBody(_ messages: [Message], stop: [String]?, stream: Bool) -> [UInt8] {
        provider.requestBody(providerModel.request(messages, stop: stop), stream: stream)
    }

    /// The Chat Completions provider for ``client``, reported as `vllm`.
    var provider: OpenAIChatProvider { OpenAIChatProvider(client: client, providerName: llmType) }

    /// The same model over the provider seam: the vLLM sampling options travel as extra request fields.
    var providerModel: ProviderChatModel {
        ProviderChatModel(
            provider: provider, model: model, parameters: parameters.chatParameters, tools: tools,
            toolChoice: toolChoice,
            responseFormat: responseFormat, streaming: streaming && !disablesStreaming)
    }
}
