public import Catena
public import CatenaOpenAI
public import Foundation

/// A provider for model servers reached over HTTP in one ``WireFormat``: `openai/…` (OpenAI, or any server at
/// `OPENAI_BASE_URL`), `hosted_vllm/…` (a vLLM server at `HOSTED_VLLM_API_BASE`), `anthropic/…` (Anthropic's
/// Messages API, registered from `CatenaAnthropic`), or your own prefix. A model name starting with `responses/` (`openai/responses/gpt-4.1`) goes to
/// the OpenAI Responses API of a Chat Completions provider's server, as in LiteLLM.
///
/// The base URL and key come from the call's options first, then from the environment variables named (only
/// those are kept). Printing or `dump` shows the variables' names, never their values.
public final class ModelServerProvider: CompletionProvider, CustomReflectable {
    public let name: String
    private let defaultBaseURL: String?
    private let baseURLVariables: [String]
    private let apiKeyVariables: [String]
    public let defaultPrice: ModelPrice?
    private let environment: [String: String]
    private let retry: RetryPolicy
    private let wireFormat: WireFormat
    private let clients = ClientPool()

    /// Creates a provider.
    /// - Parameters:
    ///   - name: The provider's name, the prefix of its model references (`name/model`).
    ///   - defaultBaseURL: The base URL when neither the call nor the environment gives one.
    ///   - baseURLVariables: Environment variables holding the base URL, first found wins.
    ///   - apiKeyVariables: Environment variables holding the API key, first found wins.
    ///   - defaultPrice: The price of models the price table does not list (zero for self-hosted servers).
    ///   - environment: The environment the variables are read from (the process environment by default).
    ///   - retry: The retry policy; a call's `maxRetries` changes only its number of attempts.
    ///   - wireFormat: What the servers speak (Chat Completions by default).
    public init(
        name: String, defaultBaseURL: String? = nil, baseURLVariables: [String] = [], apiKeyVariables: [String] = [],
        defaultPrice: ModelPrice? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        retry: RetryPolicy = ModelServerConfiguration.defaultRetry, wireFormat: WireFormat = .chatCompletions
    ) {
        self.name = name
        self.wireFormat = wireFormat
        self.defaultBaseURL = defaultBaseURL
        self.baseURLVariables = baseURLVariables
        self.apiKeyVariables = apiKeyVariables
        self.defaultPrice = defaultPrice
        self.environment = environment.filter { (baseURLVariables + apiKeyVariables).contains($0.key) }
        self.retry = retry
    }

    /// The name, the default base URL, the price and the names of the variables read; no value of them.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "name": name, "defaultBaseURL": defaultBaseURL as Any, "baseURLVariables": baseURLVariables,
                "apiKeyVariables": apiKeyVariables, "defaultPrice": defaultPrice as Any, "wireFormat": wireFormat.name,
            ], displayStyle: .class)
    }

    /// `openai/…`: `OPENAI_BASE_URL` (or `OPENAI_API_BASE`, else `https://api.openai.com/v1`) and `OPENAI_API_KEY`.
    public static func openAI(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        retry: RetryPolicy = ModelServerConfiguration.defaultRetry
    ) -> ModelServerProvider {
        ModelServerProvider(
            name: "openai", defaultBaseURL: "https://api.openai.com/v1",
            baseURLVariables: ["OPENAI_BASE_URL", "OPENAI_API_BASE"], apiKeyVariables: ["OPENAI_API_KEY"],
            environment: environment, retry: retry)
    }

    /// `hosted_vllm/…`: `HOSTED_VLLM_API_BASE` and `HOSTED_VLLM_API_KEY`; self-hosted, so it costs 0 unless priced.
    public static func hostedVLLM(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        retry: RetryPolicy = ModelServerConfiguration.defaultRetry
    ) -> ModelServerProvider {
        ModelServerProvider(
            name: "hosted_vllm", baseURLVariables: ["HOSTED_VLLM_API_BASE"], apiKeyVariables: ["HOSTED_VLLM_API_KEY"],
            defaultPrice: .free, environment: environment, retry: retry)
    }

    public func deployment(for model: String, options: CompletionOptions) throws -> ProviderDeployment {
        guard let baseURL = options.apiBase ?? firstVariable(baseURLVariables) ?? defaultBaseURL else {
            throw CompletionError.missingConfiguration(
                provider: name,
                what: "a base URL: pass `apiBase` or set \(baseURLVariables.joined(separator: " or "))")
        }
        let apiKey = options.apiKey ?? firstVariable(apiKeyVariables).map { Secret($0) }
        let (format, model) =
            wireFormat.name == WireFormat.chatCompletions.name && model.hasPrefix("responses/")
            ? (WireFormat.responses, String(model.dropFirst("responses/".count))) : (wireFormat, model)
        let key = ClientPool.Key(
            endpoint: .openAICompatible(baseURL: baseURL), apiKey: apiKey, wireFormat: format.name, options: options)
        let client = clients.client(for: key) {
            var configuration = format.configuration(baseURL, apiKey)
            configuration.retry = retry
            return configuration.applying(key)
        }
        return ProviderDeployment(
            client: client, model: model, apiBase: baseURL, apiKey: apiKey, chat: format.chatProvider(client),
            embeddings: format.embeddingProvider?(client), wireFormat: format.name)
    }

    /// The value of the first of `names` set in the environment.
    private func firstVariable(_ names: [String]) -> String? {
        names.lazy.compactMap { self.environment[$0] }.first
    }

    public func shutdown() async throws {
        try await clients.shutdown()
    }
}
