public import Foundation

/// The providers `completion` knows, by prefix. Extend it with your own provider:
///
/// ```swift
/// let providers = ProviderRegistry.standard().registering(
///     ModelServerProvider(name: "lab", defaultBaseURL: "http://gpu-box:8000/v1", defaultPrice: .free))
/// let client = CompletionClient(providers: providers)
/// ```
public struct ProviderRegistry: Sendable {
    /// The providers by prefix.
    public private(set) var providers: [String: any CompletionProvider]

    /// A registry of `providers`.
    public init(_ providers: [any CompletionProvider] = []) {
        self.providers = Dictionary(providers.map { ($0.name, $0) }) { _, last in last }
    }

    /// `openai` and `hosted_vllm`, configured from `environment`. Every other provider registers the same way:
    /// `registering(ModelServerProvider.anthropic())` from `CatenaAnthropic`, `registering(OCIModelDeploymentProvider())`
    /// from `CatenaOCI`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ProviderRegistry
    {
        ProviderRegistry([
            ModelServerProvider.openAI(environment: environment),
            ModelServerProvider.hostedVLLM(environment: environment),
        ])
    }

    /// This registry with `provider` added (replacing one of the same name).
    public func registering(_ provider: any CompletionProvider) -> ProviderRegistry {
        var copy = self
        copy.providers[provider.name] = provider
        return copy
    }

    /// The provider of `reference` and its listed price; a bare model name belongs to the provider the price table
    /// lists for it.
    /// - Throws: ``CompletionError`` for an unknown provider or an unknown bare model name.
    func provider(
        for reference: ModelReference, prices: PriceTable
    ) throws -> (any CompletionProvider, ModelReference, ModelPrice?) {
        var reference = reference
        let price = prices.price(for: reference)
        if reference.provider.isEmpty {
            guard let listed = price?.provider else { throw CompletionError.unknownModel(reference.name) }
            reference.provider = listed
        }
        guard let provider = providers[reference.provider] else {
            throw CompletionError.unknownProvider(
                reference.provider, model: reference.description, known: providers.keys.sorted())
        }
        return (provider, reference, price)
    }

    /// Shuts every provider's connections down.
    func shutdown() async throws {
        for provider in providers.values { try await provider.shutdown() }
    }
}
