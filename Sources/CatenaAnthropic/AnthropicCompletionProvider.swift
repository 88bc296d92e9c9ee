public import Catena
public import CatenaCompletion
public import CatenaOpenAI
public import Foundation

extension WireFormat {
    /// Anthropic's Messages API: the key in `x-api-key`, with `anthropic-version` (no embeddings API).
    public static let anthropicMessages = WireFormat(
        name: "anthropic_messages", configuration: { ModelServerConfiguration.anthropic(baseURL: $0, apiKey: $1) },
        chatProvider: { AnthropicMessagesProvider(client: $0) })
}

extension ModelServerProvider {
    /// `anthropic/…` for `completion` and the gateway, registered as any provider is
    /// (`ProviderRegistry.standard().registering(ModelServerProvider.anthropic())`): Anthropic's Messages API at
    /// `ANTHROPIC_API_BASE` (or `ANTHROPIC_BASE_URL`, else `https://api.anthropic.com/v1`) with `ANTHROPIC_API_KEY`.
    public static func anthropic(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        retry: RetryPolicy = ModelServerConfiguration.defaultRetry
    ) -> ModelServerProvider {
        ModelServerProvider(
            name: "anthropic", defaultBaseURL: "https://api.anthropic.com/v1",
            baseURLVariables: ["ANTHROPIC_API_BASE", "ANTHROPIC_BASE_URL"], apiKeyVariables: ["ANTHROPIC_API_KEY"],
            environment: environment, retry: retry, wireFormat: .anthropicMessages)
    }
}
