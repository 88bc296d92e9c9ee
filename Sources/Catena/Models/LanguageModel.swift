import Foundation

/// What text and chat models share: their identity in traces, the streaming switch, and the rate limiter, cache
/// and stop-sequence handling the framework applies around every call. ``LLM`` and ``ChatModel`` refine it.
public protocol LanguageModel: Runnable where Input == PromptValue {
    /// The kind of model, for logs and traces (`_type` in the invocation parameters).
    var llmType: String { get }
    /// The provider traces name (`ls_provider` in run metadata). Default: derived from the type's name as LangChain
    /// derives it from the class name, lowercased: a text model's without an `LLM` suffix (`SelectiveFailLLM`:
    /// `selectivefail`), a chat model's without a `Chat` prefix or suffix (`ChatEcho`: `echo`).
    var providerName: String { get }
    /// Parameters that identify the model's configuration (model name, temperature, …), reported at run start
    /// and part of the cache key. Default: none.
    var identifyingParameters: [String: JSONValue] { get }
    /// Whether streaming is off now: what the model's `disableStreaming` setting (a ``StreamingSwitch``) means
    /// for its current configuration. When `true`, streaming calls the non-streaming method and yields one chunk.
    var disablesStreaming: Bool { get }
    /// Limits calls (not cache hits). Default: none.
    var rateLimiter: (any RateLimiter)? { get }
    /// Answers repeated prompts. Default: none.
    var cache: (any ResponseCache)? { get }
    /// Whether enforced stop sequences are kept in the output. Default: `.exclude`.
    var stopSequenceHandling: StopSequenceHandling { get }
    /// This model with the parameters bound by ``Runnable/bind(stop:parameters:)`` in its request, each winning over
    /// the model's own value of the same name. Default: the model unchanged (for models with no request to put them
    /// in).
    func applying(boundParameters: [String: JSONValue]) -> Self
}

extension LanguageModel {
    public var identifyingParameters: [String: JSONValue] { [:] }
    public var disablesStreaming: Bool { false }
    public var rateLimiter: (any RateLimiter)? { nil }
    public var cache: (any ResponseCache)? { nil }
    public var stopSequenceHandling: StopSequenceHandling { .exclude }
    public func applying(boundParameters: [String: JSONValue]) -> Self { self }

    /// Runs the model on `text` (a text prompt; chat models see it as one user message), with the current run's
    /// context: ``invoke(_:config:)`` without a configuration in the caller's frame.
    public func invoke(_ text: String) async throws -> Output {
        try await invoke(.text(text))
    }

    /// Runs the model on `text` (a text prompt; chat models see it as one user message).
    public func invoke(_ text: String, config: RunnableConfig) async throws -> Output {
        try await invoke(.text(text), config: config)
    }

    /// Streams the model's output for `text`.
    public func stream(_ text: String, config: RunnableConfig = RunnableConfig()) -> RunnableStream<Output> {
        stream(.text(text), config: config)
    }

    /// Whether a call in `context` is the model's body alone: no handler observes its run (so there is nothing
    /// to report, and the body gets ``LLMRunManager/noop``), and no cache, rate limiter, stop sequence or bound
    /// parameter applies.
    func callsBodyAlone(in context: RunContext) -> Bool {
        !context.isObserved && cache == nil && rateLimiter == nil && context.callOptions == CallOptions()
    }

    /// What a model run reports as its parameters: the model's identifying parameters, the bound call options,
    /// its type and its stop sequences.
    func invocationParameters(options: CallOptions) -> [String: JSONValue] {
        // Bound options override identifying parameters; neither overrides the type and stop sequences.
        var parameters = identifyingParameters.merging(options.parameters) { _, bound in bound }
        parameters["_type"] = .string(llmType)
        parameters["stop"] = options.stop.map { stops in .array(stops.map { .string($0) }) } ?? .null
        return parameters
    }
}
