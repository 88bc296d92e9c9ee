/// A chat model service behind one wire format: it turns a ``ChatRequest`` into the exact body it sends, and its
/// answer (whole or streamed) into messages. ``ProviderChatModel`` makes any provider a runnable chat model.
///
/// A provider knows its wire format and nothing of callbacks beyond the run manager it is handed, which it uses to
/// report retries. Add one by conforming a type in your own module:
///
/// ```swift
/// struct EchoProvider: ChatProvider {
///     var providerName: String { "echo" }
///     func requestBody(_ request: ChatRequest, stream: Bool) throws -> [UInt8] {
///         Array((request.messages.last?.text ?? "").utf8)
///     }
///     func respond(body: [UInt8], run: LLMRunManager) async throws -> ProviderResponse {
///         ProviderResponse(result: ChatResult(message: .assistant(String(decoding: body, as: UTF8.self))), raw: body)
///     }
///     func stream(body: [UInt8], run: LLMRunManager) -> RunnableStream<Message> {
///         .of([.assistant(String(decoding: body, as: UTF8.self))])
///     }
/// }
/// let model = ProviderChatModel(provider: EchoProvider(), model: "echo-1")
/// ```
public protocol ChatProvider: Sendable {
    /// The provider's name as traces report it (`ls_provider`): `anthropic`, `openai`, `vllm`, …
    var providerName: String { get }

    /// The exact body sent for `request`, whole (`stream` false) or streamed.
    /// - Throws: When the wire format cannot express the request (say what to change).
    func requestBody(_ request: ChatRequest, stream: Bool) throws -> [UInt8]

    /// Sends a body made by ``requestBody(_:stream:)`` for a whole answer, and reads the answer: each candidate's
    /// message carries its text, tool calls, usage and response metadata (`id`, `model_name`, `finish_reason`).
    func respond(body: [UInt8], run: LLMRunManager) async throws -> ProviderResponse

    /// Sends a body made by ``requestBody(_:stream:)`` for a stream when iteration starts, and yields the answer's
    /// message chunks, which merge into the whole answer (``Message/append(_:)``): text, tool-call fragments by
    /// index, and usage on the chunks that report it, counted once.
    func stream(body: [UInt8], run: LLMRunManager) -> RunnableStream<Message>
}

/// A provider's whole answer, with the response body as received (for logging).
public struct ProviderResponse: Sendable {
    /// The candidates, usage and provider-level output.
    public var result: ChatResult
    /// The response body as received.
    public var raw: [UInt8]
    /// The provider's own decoded answer, when layers above can use it as it is (`OpenAIChatProvider` gives its
    /// `CompletionResponse`, which the completion layer returns), so that none of them decodes ``raw`` again;
    /// `nil` when the provider keeps none.
    public var decoded: (any Sendable)?

    /// Creates a response.
    public init(result: ChatResult, raw: [UInt8], decoded: (any Sendable)? = nil) {
        self.result = result
        self.raw = raw
        self.decoded = decoded
    }
}

extension ChatProvider {
    /// The whole answer to `request`.
    public func respond(to request: ChatRequest, run: LLMRunManager) async throws -> ChatResult {
        try await respond(body: requestBody(request, stream: false), run: run).result
    }

    /// The answer to `request`, streamed; a request the wire format cannot express fails the stream.
    public func stream(_ request: ChatRequest, run: LLMRunManager) -> RunnableStream<Message> {
        do {
            return stream(body: try requestBody(request, stream: true), run: run)
        } catch {
            return .single { throw error }
        }
    }
}
