/// A chat model. Implement ``generate(_:stop:runManager:)`` (and optionally
/// ``generateStream(_:stop:runManager:)``); the framework supplies invoke, stream, batch, stream events,
/// callbacks, stop-sequence enforcement, rate limiting and caching.
///
/// ```swift
/// struct EchoChat: ChatModel {
///     var llmType: String { "echo" }
///     func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
///         ChatResult(message: .assistant(messages.last?.text ?? ""))
///     }
/// }
/// ```
public protocol ChatModel: Runnable where Input == PromptValue, Output == Message {
    /// The kind of model, for logs and traces (`ls_provider` in run metadata).
    var llmType: String { get }
    /// Parameters that identify the model's configuration, reported at run start and part of the cache key.
    var identifyingParameters: [String: JSONValue] { get }
    /// When `true`, ``Runnable/stream(_:config:)`` calls ``generate(_:stop:runManager:)`` and yields one chunk.
    var disablesStreaming: Bool { get }
    /// Limits calls (not cache hits). Default: none.
    var rateLimiter: (any RateLimiter)? { get }
    /// Answers repeated conversations. Default: none.
    var cache: (any ResponseCache)? { get }
    /// Whether enforced stop sequences are kept in the output. Default: `.exclude`.
    var stopSequenceHandling: StopSequenceHandling { get }

    /// Generates the assistant's reply to `messages`.
    func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult

    /// Streams the reply as partial assistant messages that merge with `+`, or returns `nil` when the model cannot
    /// stream (the default). The framework reports each chunk as a new token before yielding it.
    func generateStream(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Message>?
}

extension ChatModel {
    public var identifyingParameters: [String: JSONValue] { [:] }
    public var disablesStreaming: Bool { false }
    public var rateLimiter: (any RateLimiter)? { nil }
    public var cache: (any ResponseCache)? { nil }
    public var stopSequenceHandling: StopSequenceHandling { .exclude }

    public func generateStream(
        _ messages: [Message], stop: [String]?, runManager: LLMRunManager
    ) -> RunnableStream<Message>? {
        nil
    }

    /// Replies to the prompt (a text prompt is one user message).
    public func invoke(_ input: PromptValue, context: RunContext) async throws -> Message {
        try await modelCall(input, context: context).invoke(context: context).assistantMessage
    }

    /// Streams the reply as partial messages; a model that cannot stream yields one chunk.
    public func stream(_ input: PromptValue, context: RunContext) -> RunnableStream<Message> {
        modelCall(input, context: context).stream(context: context).map(\.assistantMessage)
    }

    /// Replies to `text` sent as a user message.
    public func invoke(_ text: String, config: RunnableConfig = RunnableConfig()) async throws -> Message {
        try await invoke(.text(text), config: config)
    }

    private func modelCall(_ input: PromptValue, context: RunContext) -> ModelCall {
        let messages = input.messages
        let options = context.callOptions
        let stop = options.stop
        // Built only when a handler or the cache needs them.
        let parameters = { @Sendable in
            ModelCall.invocationParameters(identifying: identifyingParameters, options: options, llmType: llmType)
        }
        return ModelCall(
            start: { manager, name, runID in
                try manager.startChatModel(
                    name: name, messages: [messages], parameters: parameters(),
                    metadata: ModelCall.runMetadata(llmType: llmType, modelType: "chat"), runID: runID)
            },
            name: name,
            cache: cache,
            cacheKey: { ((try? JSONValue(encoding: messages).jsonString) ?? "", JSONValue.object(parameters()).jsonString) },
            rateLimiter: rateLimiter,
            stop: stop,
            stopHandling: stopSequenceHandling,
            generate: { manager in try await generate(messages, stop: stop, runManager: manager).generations },
            streamGenerations: { manager in
                guard !disablesStreaming else { return nil }
                return generateStream(messages, stop: stop, runManager: manager)?.map { Generation(message: $0) }
            })
    }
}

extension Generation {
    /// The generation as an assistant message (its message, or its text as a new message).
    var assistantMessage: Message { message ?? .assistant(text) }
}
