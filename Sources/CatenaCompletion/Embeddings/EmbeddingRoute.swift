import Catena
import CatenaOpenAI

/// Where an embedding call goes and what it sends, resolved from its model string and options.
struct EmbeddingRoute: CallRouting {
    /// The provider prefix.
    let provider: String
    let deployment: ProviderDeployment
    /// The deployment's embeddings API.
    let embeddings: any EmbeddingProvider
    /// The request as sent.
    let request: EmbeddingRequest
    /// The exact body sent.
    let body: [UInt8]
    let price: ModelPrice?
    let cacheKey: String?
    let cacheTTL: Duration?

    /// Resolves the provider and deployment and builds the request.
    /// - Throws: ``CompletionError`` when the model names no known provider, the provider lacks configuration, or
    ///   its wire format cannot embed.
    init(
        model: String, input: [String], dimensions: Int?, options: CompletionOptions, providers: ProviderRegistry,
        prices: PriceTable, usesCache: Bool
    ) throws {
        let (provider, reference, listedPrice) = try providers.provider(
            for: ModelReference(parsing: model), prices: prices)
        deployment = try provider.deployment(for: reference.name, options: options)
        guard let embeddings = deployment.embeddings else {
            throw CompletionError.embeddingsUnsupported(provider: reference.provider, model: model)
        }
        self.provider = reference.provider
        self.embeddings = embeddings
        request = EmbeddingRequest(model: deployment.model, inputs: input, dimensions: dimensions)
        body = try embeddings.requestBody(request)
        price = options.price ?? listedPrice ?? provider.defaultPrice
        var fields: [String: JSONValue] = ["input": .array(input.map(JSONValue.string))]
        if let dimensions { fields["dimensions"] = .int(dimensions) }
        cacheKey =
            usesCache && options.cache.enabled
            ? CacheKey.make(namespace: options.cache.namespace, model: "embedding:" + model, request: fields) : nil
        cacheTTL = options.cache.ttl
    }

    /// The run's invocation parameters: the provider, the model sent and the dimensions.
    var invocationParameters: InvocationParameters {
        var values: [String: JSONValue] = ["_type": .string(provider), "model": .string(request.model)]
        if let dimensions = request.dimensions { values["dimensions"] = .int(dimensions) }
        return InvocationParameters(values)
    }

    func describe(in payload: inout LoggingPayload) {
        payload.provider = provider
        payload.providerModel = request.model
        payload.apiBase = deployment.apiBase
        payload.maskedAPIKey = deployment.apiKey.map(\.masked)
        payload.cacheKey = cacheKey
        if let dimensions = request.dimensions { payload.modelParameters = ["dimensions": .int(dimensions)] }
    }
}
