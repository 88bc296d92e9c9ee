public import Catena
public import CatenaOpenAI
import Foundation

/// A family of deployments `completion` can reach, named by the prefix of the model string (`openai/…`).
///
/// Register your own with ``ProviderRegistry/registering(_:)``: a provider turns a model name and the call's
/// overrides into a ``ProviderDeployment`` (a client for an OpenAI-compatible server and the model name to send).
public protocol CompletionProvider: Sendable {
    /// The prefix this provider answers to.
    var name: String { get }
    /// The deployment serving `model` (the name after the prefix), with the call's base URL, key, timeout and
    /// retries applied.
    /// - Throws: ``CompletionError/missingConfiguration(provider:what:)`` when the provider cannot be reached.
    func deployment(for model: String, options: CompletionOptions) throws -> ProviderDeployment
    /// The price of models the price table does not list (zero for self-hosted servers; `nil`: unknown).
    var defaultPrice: ModelPrice? { get }
    /// Closes the provider's connections.
    func shutdown() async throws
}

extension CompletionProvider {
    /// Unknown: a model the price table does not list has no cost.
    public var defaultPrice: ModelPrice? { nil }
}

/// Where one call goes: the client (connection pool, credentials, retries), the chat provider that speaks the
/// server's wire format over it, the model name to send, and what the logging payload shows about it.
public struct ProviderDeployment: Sendable {
    /// The client for the deployment's server.
    public var client: ModelServerClient
    /// The wire format's provider over ``client``.
    public var chat: any ChatProvider
    /// The wire format's embedding provider over ``client`` (`nil`: the deployment cannot embed).
    public var embeddings: (any EmbeddingProvider)?
    /// The model name sent in the request.
    public var model: String
    /// The base URL (or predict URL) shown in the logging payload.
    public var apiBase: String
    /// The key used, shown only masked.
    public var apiKey: Secret?
    /// The name of the wire format ``chat`` speaks (``WireFormat/name``; `nil`: not known): a request already
    /// written in this format, such as one a gateway received, can be sent on as it is.
    public var wireFormat: String?

    /// Creates a deployment; without `chat`, it speaks Chat Completions and the OpenAI embeddings API over `client`.
    public init(
        client: ModelServerClient, model: String, apiBase: String, apiKey: Secret? = nil,
        chat: (any ChatProvider)? = nil,
        embeddings: (any EmbeddingProvider)? = nil, wireFormat: String? = nil
    ) {
        self.client = client
        self.chat = chat ?? OpenAIChatProvider(client: client)
        self.embeddings = embeddings ?? (chat == nil ? OpenAIEmbeddingProvider(client: client) : nil)
        self.wireFormat = wireFormat ?? (chat == nil ? WireFormat.chatCompletions.name : nil)
        self.model = model
        self.apiBase = apiBase
        self.apiKey = apiKey
    }
}

extension ProviderDeployment {
    /// A whole answer in the OpenAI shape `completion` returns: as the provider decoded it when it speaks Chat
    /// Completions (every field kept), else translated from its result.
    func completionResponse(_ reply: ProviderResponse) -> CompletionResponse {
        reply.decoded as? CompletionResponse
            ?? CompletionResponse(translating: reply.result, created: Int(Date().timeIntervalSince1970))
    }
}
