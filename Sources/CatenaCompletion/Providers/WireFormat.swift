public import Catena
public import CatenaOpenAI

/// The wire format a provider's servers speak: how a client for a base URL and key is configured, and the chat
/// and embedding providers that speak the format over that client. Add your own with
/// ``init(name:configuration:chatProvider:embeddingProvider:)``, as `CatenaAnthropic` adds Anthropic's Messages API.
public struct WireFormat: Sendable {
    /// The format's name (`chat_completions`, `responses`, `anthropic_messages`).
    public let name: String
    /// The client configuration for a base URL and key.
    let configuration: @Sendable (_ baseURL: String, _ apiKey: Secret?) -> ModelServerConfiguration
    /// The chat provider over a client.
    let chatProvider: @Sendable (ModelServerClient) -> any ChatProvider
    /// The embedding provider over a client (`nil`: the format has no embeddings API).
    let embeddingProvider: (@Sendable (ModelServerClient) -> any EmbeddingProvider)?

    /// Creates a wire format; leave out `embeddingProvider` when it has no embeddings API.
    public init(
        name: String,
        configuration: @escaping @Sendable (_ baseURL: String, _ apiKey: Secret?) -> ModelServerConfiguration,
        chatProvider: @escaping @Sendable (ModelServerClient) -> any ChatProvider,
        embeddingProvider: (@Sendable (ModelServerClient) -> any EmbeddingProvider)? = nil
    ) {
        self.name = name
        self.configuration = configuration
        self.chatProvider = chatProvider
        self.embeddingProvider = embeddingProvider
    }

    /// OpenAI's Chat Completions (vLLM, llama.cpp's server, OpenAI, …): the key as a bearer token.
    public static let chatCompletions = WireFormat(
        name: "chat_completions", configuration: { ModelServerConfiguration.openAICompatible(baseURL: $0, apiKey: $1) },
        chatProvider: { OpenAIChatProvider(client: $0) }, embeddingProvider: { OpenAIEmbeddingProvider(client: $0) })

    /// OpenAI's Responses API: the key as a bearer token.
    public static let responses = WireFormat(
        name: "responses", configuration: { ModelServerConfiguration.openAICompatible(baseURL: $0, apiKey: $1) },
        chatProvider: { OpenAIResponsesProvider(client: $0) },
        embeddingProvider: { OpenAIEmbeddingProvider(client: $0) })
}
