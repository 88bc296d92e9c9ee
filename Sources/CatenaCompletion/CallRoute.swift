import Catena
import CatenaOpenAI
import Foundation

/// Where a call goes and what it sends, resolved from its model string and options.
struct CallRoute: CallRouting {
    /// The provider prefix.
    let provider: String
    /// The deployment (`nil` for a mock response).
    let deployment: ProviderDeployment?
    /// The model name sent.
    let providerModel: String
    /// The request's members in OpenAI's names, whatever the wire format: what the payload and the cache key show.
    let members: [(String, JSONValue)]
    /// The body a deployment's wire format sends (`nil` for a mock).
    private let deploymentBody: [UInt8]?
    /// Whether ``body`` is the caller's own body passed on (its model name set), and the answer's bytes are to be
    /// passed back as they come.
    let relaysBody: Bool
    let price: ModelPrice?
    let cacheKey: String?
    let cacheTTL: Duration?
    let mockResponse: MockResponse?

    /// Resolves the provider and deployment and builds the request; `relayed`, a Chat Completions body the caller
    /// wrote for `messages` and `options`, is sent on as it is (its model name set) to a deployment that speaks
    /// Chat Completions.
    /// - Throws: ``CompletionError`` when the model names no known provider or the provider lacks configuration.
    init(
        model: String, target: String, messages: [Message], options: CompletionOptions, stream: Bool,
        providers: ProviderRegistry, prices: PriceTable, usesCache: Bool, relayed: [UInt8]? = nil
    ) throws {
        let (provider, reference, listedPrice) = try providers.provider(
            for: ModelReference(parsing: target), prices: prices)
        var transport = options
        if stream, let streamTimeout = options.streamTimeout { transport.timeout = streamTimeout }
        let deployment =
            options.mockResponse == nil ? try provider.deployment(for: reference.name, options: transport) : nil
        let chatRequest = ChatRequest(
            model: deployment?.model ?? reference.name, messages: messages,
            parameters: options.parameters.chatParameters,
            tools: options.tools, toolChoice: options.toolChoice, responseFormat: options.responseFormat)
        let members = OpenAIChatProvider.requestMembers(chatRequest, stream: stream)
        self.provider = reference.provider
        self.deployment = deployment
        self.providerModel = chatRequest.model
        self.members = members
        if let relayed, let deployment, deployment.wireFormat == WireFormat.chatCompletions.name {
            var set: [(String, JSONValue)] = [("model", .string(deployment.model))]
            // The usage ends the stream, for the run and its spend, whether the caller asked for it or not.
            if stream { set.append(("stream_options", ["include_usage": true])) }
            self.deploymentBody = try JSONValue.settingMembers(set, in: relayed)
            self.relaysBody = true
        } else if deployment?.wireFormat == WireFormat.chatCompletions.name {
            // The members are the Chat Completions body: written once, not built again by the provider.
            self.deploymentBody = JSONValue.serializedObject(members)
            self.relaysBody = false
        } else {
            self.deploymentBody = try deployment?.chat.requestBody(chatRequest, stream: stream)
            self.relaysBody = false
        }
        self.price = options.price ?? listedPrice ?? provider.defaultPrice
        self.cacheKey =
            usesCache && options.cache.enabled
            ? CacheKey.make(
                namespace: options.cache.namespace, model: model, request: Dictionary(uniqueKeysWithValues: members))
            : nil
        self.cacheTTL = options.cache.ttl
        self.mockResponse = options.mockResponse
    }

    /// The exact body sent (for a mock, the Chat Completions body it stands in for).
    var body: [UInt8] { deploymentBody ?? JSONValue.serializedObject(members) }

    /// The request's parameters: its members but the model and the messages.
    var modelParameters: [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: members.filter { $0.0 != "messages" && $0.0 != "model" })
    }

    /// The run's invocation parameters: the provider, the model sent and the request's parameters.
    var invocationParameters: InvocationParameters {
        var values = modelParameters
        values["_type"] = .string(provider)
        values["model"] = .string(providerModel)
        return InvocationParameters(values)
    }

    /// Shows where the call goes in `payload`.
    func describe(in payload: inout LoggingPayload) {
        payload.provider = provider
        payload.providerModel = providerModel
        payload.apiBase = deployment?.apiBase
        payload.maskedAPIKey = deployment?.apiKey.map(\.masked)
        payload.modelParameters = modelParameters
        payload.cacheKey = cacheKey
    }
}
