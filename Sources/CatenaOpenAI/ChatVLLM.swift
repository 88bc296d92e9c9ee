public import Catena

/// A chat model served by vLLM or any OpenAI-compatible server (llama.cpp's server, OpenAI, Oracle Cloud model
/// deployments through ``ServerEndpoint/ociModelDeployment(predictURL:)``): `POST /chat/completions`.
///
/// Invoke, stream (SSE), batch, stream events, callbacks, retries, rate limiting and caching all apply.
///
/// ```swift
/// let model = ChatVLLM(client: client, model: "local", parameters: .init(temperature: 0, maxTokens: 64))
/// for try await chunk in model.stream("Name three colours.") { print(chunk.text, terminator: "") }
/// ```
public struct ChatVLLM: ChatModel {
    /// When streaming is turned off.
    public enum StreamingSwitch: Sendable, Hashable {
        /// Streams when asked to.
        case never
        /// Never streams: `stream` yields the whole answer as one chunk.
        case always
        /// Does not stream while tools are bound (for servers that cannot stream tool calls).
        case whenToolsBound
    }

    /// The server.
    public var client: ModelServerClient
    /// The model name sent as `model` (`odsc-llm` on OCI deployments, as LangChain).
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
        client: ModelServerClient, model: String = "odsc-llm", parameters: SamplingParameters = SamplingParameters(),
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

    /// The model name and every sampling parameter that is sent.
    public var identifyingParameters: [String: JSONValue] { parameters.identifying(model: model, chat: true) }

    /// Whether streaming is off for this configuration.
    public var disablesStreaming: Bool {
        switch disableStreaming {
        case .never: false
        case .always: true
        case .whenToolsBound: !tools.isEmpty
        }
    }

    /// This model with `tools` bound, and optionally a tool choice.
    public func bindingTools(_ tools: [any Tool], choice: ToolChoice? = nil) -> ChatVLLM {
        bindingTools(tools.map(\.definition), choice: choice)
    }

    /// This model with tool definitions (raw JSON schemas) bound, and optionally a tool choice.
    public func bindingTools(_ definitions: [ToolDefinition], choice: ToolChoice? = nil) -> ChatVLLM {
        var copy = self
        copy.tools = definitions
        copy.toolChoice = choice ?? toolChoice
        return copy
    }

    public func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
        if streaming, !disablesStreaming {
            return try await streamed(messages, stop: stop, runManager: runManager).collectReportingTokens(to: runManager)
        }
        let body = requestBody(messages, stop: stop, stream: false)
        let completion = try await client.json(
            ChatCompletion.self, route: .chatCompletions, body: body, onRetry: runManager.onRetry)
        return ChatResult(completion)
    }

    public func generateStream(
        _ messages: [Message], stop: [String]?, runManager: LLMRunManager
    ) -> RunnableStream<Message>? {
        streamed(messages, stop: stop, runManager: runManager)
    }

    /// The answer's chunks; the request is sent when iteration starts and retried only before any output. Each
    /// chunk's usage is what it adds to the server's previous report, so the merged chunks' usage is the server's
    /// last report whether it sends usage once or running totals on every chunk.
    private func streamed(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Message> {
        client.streamedChunks(
            route: .chatCompletions, body: requestBody(messages, stop: stop, stream: true), onRetry: runManager.onRetry
        ).compactMapChunks(state: WireUsage?.none) { reported, chunk in
            guard let usage = chunk.usage else { return Message(chunk: chunk) }
            var increment = chunk
            increment.usage = usage.increment(since: reported)
            reported = usage
            return Message(chunk: increment)
        }
    }

    /// The exact request body this model sends for `messages`: model, messages, set parameters, the call's stop
    /// sequences, tools and response format, and stream options when `stream` is set.
    public func requestBody(_ messages: [Message], stop: [String]?, stream: Bool) -> [UInt8] {
        JSONValue.serializedObject(requestMembers(messages, stop: stop, stream: stream))
    }

    private func requestMembers(_ messages: [Message], stop: [String]?, stream: Bool) -> [(String, JSONValue)] {
        Self.requestMembers(
            model: model, messages: messages, parameters: parameters, tools: tools, toolChoice: toolChoice,
            responseFormat: responseFormat, stop: stop, stream: stream)
    }

    /// The fields of a `/chat/completions` request in the order they are sent: model, messages, tools, tool choice
    /// and response format, set parameters, stop sequences, and stream options when `stream` is set.
    public static func requestMembers(
        model: String, messages: [Message], parameters: SamplingParameters, tools: [ToolDefinition] = [],
        toolChoice: ToolChoice? = nil, responseFormat: ResponseFormat? = nil, stop: [String]? = nil, stream: Bool
    ) -> [(String, JSONValue)] {
        var content: [(String, JSONValue)] = [("messages", .array(messages.map(\.wireJSON)))]
        if !tools.isEmpty { content.append(("tools", .array(tools.map(\.wireJSON)))) }
        if let toolChoice { content.append(("tool_choice", toolChoice.wireJSON)) }
        if let responseFormat { content.append(("response_format", responseFormat.wireJSON)) }
        return parameters.requestMembers(model: model, chat: true, content: content, stop: stop, stream: stream)
    }
}
