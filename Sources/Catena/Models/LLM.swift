/// A text-completion model. Implement ``call(_:stop:runManager:)`` (and optionally
/// ``callStream(_:stop:runManager:)``); the framework supplies invoke, stream, batch, stream events, callbacks,
/// stop-sequence enforcement, rate limiting and caching.
///
/// ```swift
/// struct CustomLLM: LLM {
///     var n: Int
///     var llmType: String { "custom" }
///     func call(_ prompt: String, stop: [String]?, runManager: LLMRunManager) async throws -> String {
///         String(prompt.prefix(n))
///     }
///     func callStream(_ prompt: String, stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Generation>? {
///         .of(prompt.prefix(n).map { Generation(text: String($0)) })
///     }
/// }
/// try await CustomLLM(n: 5).invoke("This is a foobar thing")   // "This "
/// ```
public protocol LLM: Runnable where Input == PromptValue, Output == String {
    /// The kind of model, for logs and traces (`ls_provider` in run metadata).
    var llmType: String { get }
    /// Parameters that identify the model's configuration (model name, temperature, …), reported at run start
    /// and part of the cache key. Default: none.
    var identifyingParameters: [String: JSONValue] { get }
    /// When `true`, ``Runnable/stream(_:config:)`` calls ``call(_:stop:runManager:)`` and yields one chunk.
    var disablesStreaming: Bool { get }
    /// Limits calls (not cache hits). Default: none.
    var rateLimiter: (any RateLimiter)? { get }
    /// Answers repeated prompts. Default: none.
    var cache: (any ResponseCache)? { get }
    /// Whether enforced stop sequences are kept in the output. Default: `.exclude`.
    var stopSequenceHandling: StopSequenceHandling { get }

    /// Generates a completion for `prompt`. Output past a stop sequence is cut by the framework.
    func call(_ prompt: String, stop: [String]?, runManager: LLMRunManager) async throws -> String

    /// Streams a completion for `prompt` as chunks, or returns `nil` when the model cannot stream (the default).
    /// The framework reports each chunk as a new token before yielding it.
    func callStream(_ prompt: String, stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Generation>?
}

extension LLM {
    public var identifyingParameters: [String: JSONValue] { [:] }
    public var disablesStreaming: Bool { false }
    public var rateLimiter: (any RateLimiter)? { nil }
    public var cache: (any ResponseCache)? { nil }
    public var stopSequenceHandling: StopSequenceHandling { .exclude }

    public func callStream(_ prompt: String, stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Generation>? {
        nil
    }

    /// Completes the prompt (a chat prompt is flattened to `"System: …\nHuman: …"`).
    public func invoke(_ input: PromptValue, context: RunContext) async throws -> String {
        try await modelCall(input, context: context).invoke(context: context).text
    }

    /// Streams the completion; a model that cannot stream yields one chunk.
    public func stream(_ input: PromptValue, context: RunContext) -> RunnableStream<String> {
        modelCall(input, context: context).stream(context: context).map(\.text)
    }

    /// Completes `text` (a plain string prompt).
    public func invoke(_ text: String, config: RunnableConfig = RunnableConfig()) async throws -> String {
        try await invoke(.text(text), config: config)
    }

    /// Streams the completion of `text`.
    public func stream(_ text: String, config: RunnableConfig = RunnableConfig()) -> RunnableStream<String> {
        stream(.text(text), config: config)
    }

    private func modelCall(_ input: PromptValue, context: RunContext) -> ModelCall {
        let prompt = input.string
        let options = context.callOptions
        let stop = options.stop
        // Built only when a handler or the cache needs them.
        let parameters = { @Sendable in
            ModelCall.invocationParameters(identifying: identifyingParameters, options: options, llmType: llmType)
        }
        return ModelCall(
            start: { manager, name, runID in
                try manager.startLLM(
                    name: name, prompts: [prompt], parameters: parameters(),
                    metadata: ModelCall.runMetadata(llmType: llmType, modelType: "llm"), runID: runID)
            },
            name: name,
            cache: cache,
            cacheKey: { (prompt, JSONValue.object(parameters()).jsonString) },
            rateLimiter: rateLimiter,
            stop: stop,
            stopHandling: stopSequenceHandling,
            generate: { manager in [Generation(text: try await call(prompt, stop: stop, runManager: manager))] },
            streamGenerations: { manager in
                disablesStreaming ? nil : callStream(prompt, stop: stop, runManager: manager)
            })
    }
}
