public import Catena

/// OpenAI's Responses API (`POST /responses`), hosted or served by a compatible server (llama.cpp's among them):
/// input items, output items (messages and function calls), streaming events, and usage with cached and reasoning
/// tokens.
///
/// ```swift
/// let client = ModelServerClient(.openAICompatible(baseURL: "https://api.openai.com/v1", apiKey: key))
/// let model = ProviderChatModel(provider: OpenAIResponsesProvider(client: client), model: "gpt-4.1-mini")
/// ```
///
/// The API has no stop sequences: those of a call are applied by the model as the answer arrives.
public struct OpenAIResponsesProvider: ChatProvider {
    /// The server.
    public var client: ModelServerClient

    /// Creates a provider.
    public init(client: ModelServerClient) {
        self.client = client
    }

    /// `openai`.
    public var providerName: String { "openai" }

    /// The Responses request body.
    public func requestBody(_ request: ChatRequest, stream: Bool) throws -> [UInt8] {
        ResponsesRequestBody(request, stream: stream).bytes
    }

    /// The whole answer.
    public func respond(body: [UInt8], run: LLMRunManager) async throws -> ProviderResponse {
        let raw = try await client.responseBody(route: .responses, body: body, onRetry: run.onRetry)
        let message = try ResponsesOutput.message(from: client.decoded(JSONValue.self, from: raw))
        return ProviderResponse(result: ChatResult(message: message), raw: raw)
    }

    /// The answer's chunks, from the API's streaming events.
    public func stream(body: [UInt8], run: LLMRunManager) -> RunnableStream<Message> {
        client.streamedEvents(route: .responses, body: body, format: ResponsesEventFormat(), onRetry: run.onRetry)
    }
}
