public import CatenaOpenAI

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

/// Where one call goes: the client (connection pool, credentials, retries), the model name to send, and what the
/// logging payload shows about it.
public struct ProviderDeployment: Sendable {
    /// The client for the deployment's server.
    public var client: ModelServerClient
    /// The model name sent in the request.
    public var model: String
    /// The base URL (or predict URL) shown in the logging payload.
    public var apiBase: String
    /// The key used, shown only masked.
    public var apiKey: Secret?

    /// Creates a deployment.
    public init(client: ModelServerClient, model: String, apiBase: String, apiKey: Secret? = nil) {
        self.client = client
        self.model = model
        self.apiBase = apiBase
        self.apiKey = apiKey
    }
}
