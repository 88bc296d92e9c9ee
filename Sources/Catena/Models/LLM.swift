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
public protocol LLM: LanguageModel where Output == String {
    /// Generates a completion for `prompt`. Output past a stop sequence is cut by the framework.
    func call(_ prompt: String, stop: [String]?, runManager: LLMRunManager) async throws -> String

    /// Streams a completion for `prompt` as chunks, or returns `nil` when the model cannot stream (the default).
    ///
    /// Called with the model's run as ``RunContext/current``; the chunks are then pulled on the consumer's task, in
    /// the consumer's context (as LangChain pulls `_astream`). Work done while producing a chunk reports through
    /// `runManager` or through the context captured here. The framework reports each chunk as a new token before
    /// yielding it.
    func callStream(_ prompt: String, stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Generation>?
}

extension LLM {
    public func callStream(_ prompt: String, stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Generation>?
    {
        nil
    }

    /// Completes the prompt (a chat prompt is flattened to `"System: …\nHuman: …"`).
    public func invoke(_ input: PromptValue, context: RunContext) async throws -> String {
        guard callsBodyAlone(in: context) else { return try await tracedInvoke(input, context: context) }
        return try await call(input.string, stop: nil, runManager: .noop)
    }

    /// A call with its run reported, and the cache, rate limiter and stop sequences that apply (kept out of
    /// ``invoke(_:context:)``'s frame, which every call in flight holds).
    @inline(never)
    private func tracedInvoke(_ input: PromptValue, context: RunContext) async throws -> String {
        try await modelCall(input, context: context).invoke(context: context).text
    }

    /// Streams the completion; a model that cannot stream yields one chunk.
    public func stream(_ input: PromptValue, context: RunContext) -> RunnableStream<String> {
        modelCall(input, context: context).stream(context: context).map { $0.text }
    }

    private func modelCall(_ input: PromptValue, context: RunContext) -> ModelCall<TextRequest> {
        ModelCall(request: TextRequest(model: self, prompt: input.string, options: context.callOptions))
    }
}
