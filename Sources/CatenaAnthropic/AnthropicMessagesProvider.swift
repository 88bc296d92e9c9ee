public import Catena
public import CatenaOpenAI

/// Anthropic's Messages API (`POST /messages`), hosted or served by any compatible server (llama.cpp's among them):
/// the system prompt apart, content blocks, `tool_use` / `tool_result`, streaming events, and usage with prompt-cache
/// reads and writes.
///
/// ```swift
/// let client = ModelServerClient(.anthropic(apiKey: Secret(ProcessInfo.processInfo.environment["ANTHROPIC_API_KEY"] ?? "")))
/// let claude = ProviderChatModel(provider: AnthropicMessagesProvider(client: client), model: "claude-sonnet-4-5")
/// print(try await claude.invoke("Say hi").text)
/// ```
public struct AnthropicMessagesProvider: ChatProvider {
    /// The server (`ModelServerConfiguration.anthropic(baseURL:apiKey:version:)` sends the key and version the way
    /// the API wants them).
    public var client: ModelServerClient
    /// Sent as `max_tokens` when the request sets none: the API requires it.
    public var defaultMaxTokens: Int

    /// Creates a provider.
    public init(client: ModelServerClient, defaultMaxTokens: Int = 1024) {
        self.client = client
        self.defaultMaxTokens = defaultMaxTokens
    }

    /// `anthropic`.
    public var providerName: String { "anthropic" }

    /// The Messages request body.
    /// - Throws: `CatenaError` for a response format, which the Messages API cannot express.
    public func requestBody(_ request: ChatRequest, stream: Bool) throws -> [UInt8] {
        try AnthropicRequestBody(request, defaultMaxTokens: defaultMaxTokens, stream: stream).bytes
    }

    /// The whole answer.
    public func respond(body: [UInt8], run: LLMRunManager) async throws -> ProviderResponse {
        let raw = try await client.responseBody(route: .messages, body: body, onRetry: run.onRetry)
        let message = try AnthropicResponse.message(from: client.decoded(JSONValue.self, from: raw))
        return ProviderResponse(result: ChatResult(message: message), raw: raw)
    }

    /// The answer's chunks, from the API's streaming events.
    public func stream(body: [UInt8], run: LLMRunManager) -> RunnableStream<Message> {
        client.streamedEvents(route: .messages, body: body, format: AnthropicEventFormat(), onRetry: run.onRetry)
    }
}
