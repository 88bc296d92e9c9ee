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
public protocol ChatModel: LanguageModel where Output == Message {
    /// Generates the assistant's reply to `messages`.
    func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult

    /// Streams the reply as partial assistant messages that merge with `+`, or returns `nil` when the model cannot
    /// stream (the default). The framework reports each chunk as a new token before yielding it.
    ///
    /// Called with the model's run as ``RunContext/current``; the chunks are then pulled on the consumer's task, in
    /// the consumer's context (as LangChain pulls `_astream`). Work done while producing a chunk reports through
    /// `runManager` (``RunManager/onCustomEvent(_:data:)``, ``RunManager/child(tag:)``) or through the context
    /// captured here.
    func generateStream(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) -> RunnableStream<Message>?
}

extension ChatModel {
    public func generateStream(
        _ messages: [Message], stop: [String]?, runManager: LLMRunManager
    ) -> RunnableStream<Message>? {
        nil
    }

    /// Replies to the prompt (a text prompt is one user message).
    public func invoke(_ input: PromptValue, context: RunContext) async throws -> Message {
        guard callsBodyAlone(in: context) else { return try await tracedInvoke(input, context: context) }
        let result = try await generate(input.messages, stop: nil, runManager: .noop)
        return try result.firstGeneration(model: name).assistantMessage
    }

    /// A call with its run reported, and the cache, rate limiter and stop sequences that apply (kept out of
    /// ``invoke(_:context:)``'s frame, which every call in flight holds).
    @inline(never)
    private func tracedInvoke(_ input: PromptValue, context: RunContext) async throws -> Message {
        try await modelCall(input, context: context).invoke(context: context).assistantMessage
    }

    /// Streams the reply as partial messages; a model that cannot stream yields one chunk.
    public func stream(_ input: PromptValue, context: RunContext) -> RunnableStream<Message> {
        modelCall(input, context: context).stream(context: context)
    }

    private func modelCall(_ input: PromptValue, context: RunContext) -> ModelCall<ChatModelRequest> {
        ModelCall(request: ChatModelRequest(model: self, messages: input.messages, options: context.callOptions))
    }
}
