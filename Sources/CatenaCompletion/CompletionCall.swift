import Catena
import CatenaOpenAI
import Foundation

/// One call on its way: its model run, where it goes, what it sends, and its logging.
final class CompletionCall: Sendable {
    /// Unique per call (per deployment attempt, for router calls).
    let id: String
    /// The call's model run: every hook of its loggers, and every handler of the run, sees its events.
    let run: LLMRunManager
    /// The call's logging (`nil` when no logger listens).
    let logging: CallLogging?
    let route: CallRoute

    init(id: String, run: LLMRunManager, logging: CallLogging?, route: CallRoute) {
        self.id = id
        self.run = run
        self.logging = logging
        self.route = route
    }

    /// What the call's usage cost (`nil`: no price or no usage).
    func cost(of usage: WireUsage?) -> Double? {
        usage.flatMap { route.price?.cost(of: $0) }
    }

    /// The payload of a call that has not been resolved yet (so a resolution failure is still logged).
    static func initialPayload(
        callID: String, model: String, messages: [Message], metadata: [String: JSONValue], stream: Bool,
        routing: RoutingInformation?
    ) -> LoggingPayload {
        LoggingPayload(
            callID: callID, traceID: metadata["trace_id"]?.stringValue ?? callID,
            callType: stream ? .streamingCompletion : .completion, model: model, provider: "", messages: messages,
            modelParameters: [:], metadata: metadata, stream: stream, startTime: Date(), status: .pending, routing: routing)
    }
}

/// Where a call goes and what it sends, resolved from its model string and options.
struct CallRoute: Sendable {
    /// The provider prefix.
    let provider: String
    /// The deployment (`nil` for a mock response).
    let deployment: ProviderDeployment?
    /// The model name sent.
    let providerModel: String
    /// The exact body sent.
    let body: [UInt8]
    /// The request's parameters as the payload and the cache key show them (OpenAI's names, whatever the wire format).
    let modelParameters: [String: JSONValue]
    let price: ModelPrice?
    let cacheKey: String?
    let cacheTTL: Duration?
    let mockResponse: MockResponse?

    /// Resolves the provider and deployment and builds the request.
    /// - Throws: ``CompletionError`` when the model names no known provider or the provider lacks configuration.
    init(
        model: String, target: String, messages: [Message], options: CompletionOptions, stream: Bool,
        providers: ProviderRegistry, prices: PriceTable, usesCache: Bool
    ) throws {
        let (provider, reference, listedPrice) = try providers.provider(for: ModelReference(parsing: target), prices: prices)
        let deployment = options.mockResponse == nil ? try provider.deployment(for: reference.name, options: options) : nil
        let chatRequest = ChatRequest(
            model: deployment?.model ?? reference.name, messages: messages, parameters: options.parameters.chatParameters,
            tools: options.tools, toolChoice: options.toolChoice, responseFormat: options.responseFormat)
        let members = OpenAIChatProvider.requestMembers(chatRequest, stream: stream)
        let request = Dictionary(uniqueKeysWithValues: members)
        self.provider = reference.provider
        self.deployment = deployment
        self.providerModel = chatRequest.model
        self.body = try deployment?.chat.requestBody(chatRequest, stream: stream) ?? JSONValue.serializedObject(members)
        self.modelParameters = request.filter { $0.key != "messages" && $0.key != "model" }
        self.price = options.price ?? listedPrice ?? provider.defaultPrice
        self.cacheKey = usesCache && options.cache.enabled
            ? CacheKey.make(namespace: options.cache.namespace, model: model, request: request) : nil
        self.cacheTTL = options.cache.ttl
        self.mockResponse = options.mockResponse
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
