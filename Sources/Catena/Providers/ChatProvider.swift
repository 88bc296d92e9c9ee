/// A chat model service behind one wire format: it turns a ``ChatRequest`` into its own request, and its answer
/// (whole or streamed) into messages. ``ProviderChatModel`` makes any provider a runnable chat model.
///
/// A provider knows its wire format and nothing of callbacks beyond the run manager it is handed, which it uses to
/// report retries. Add one by conforming a type in your own module:
///
/// ```swift
/// struct EchoProvider: ChatProvider {
///     var providerName: String { "echo" }
///     func respond(to request: ChatRequest, run: LLMRunManager) async throws -> ChatResult {
///         ChatResult(message: .assistant(request.messages.last?.text ?? ""))
///     }
///     func stream(_ request: ChatRequest, run: LLMRunManager) -> RunnableStream<Message> {
///         .of([.assistant(request.messages.last?.text ?? "")])
///     }
/// }
/// let model = ProviderChatModel(provider: EchoProvider(), model: "echo-1")
/// ```
public protocol ChatProvider: Sendable {
    /// The provider's name as traces report it (`ls_provider`): `anthropic`, `openai`, `vllm`, …
    var providerName: String { get }

    /// Answers `request` in one response: the message carries the text, tool calls, usage and response metadata
    /// (`id`, `model_name`, `finish_reason`).
    func respond(to request: ChatRequest, run: LLMRunManager) async throws -> ChatResult

    /// Streams the answer to `request` as message chunks that merge into the whole answer (``Message/append(_:)``):
    /// text, tool-call fragments by index, and usage on the chunks that report it, counted once.
    func stream(_ request: ChatRequest, run: LLMRunManager) -> RunnableStream<Message>
}
