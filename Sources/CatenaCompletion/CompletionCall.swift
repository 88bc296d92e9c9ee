import Catena
import CatenaOpenAI
import Foundation
import Logging

/// One call on its way: where it goes, what it sends, and its logging payload, which grows as the call proceeds.
struct CompletionCall: Sendable {
    var payload: LoggingPayload
    /// The loggers registered when the call started, then the call's own.
    let loggers: [any CompletionLogger]
    /// The deployment (`nil` for a mock response).
    let deployment: ProviderDeployment?
    /// The exact body sent.
    let body: [UInt8]
    let price: ModelPrice?
    let cacheKey: String?
    let cacheTTL: Duration?
    let mockResponse: MockResponse?

    /// The payload of a call that has not been resolved yet (so a resolution failure is still logged).
    static func initialPayload(
        callID: String, model: String, messages: [Message], metadata: [String: JSONValue], stream: Bool,
        routing: RoutingInformation?
    ) -> LoggingPayload {
        return LoggingPayload(
            callID: callID, traceID: metadata["trace_id"]?.stringValue ?? callID,
            callType: stream ? .streamingCompletion : .completion, model: model, provider: "", messages: messages,
            modelParameters: [:], metadata: metadata, stream: stream, startTime: Date(), status: .pending, routing: routing)
    }

    /// Resolves the provider and deployment and builds the request.
    /// - Throws: ``CompletionError`` when the model names no known provider or the provider lacks configuration.
    init(
        payload: LoggingPayload, target: String, messages: [Message], options: CompletionOptions,
        loggers: [any CompletionLogger], providers: ProviderRegistry, prices: PriceTable, usesCache: Bool
    ) throws {
        let (provider, reference, listedPrice) = try providers.provider(for: ModelReference(parsing: target), prices: prices)
        let deployment = options.mockResponse == nil ? try provider.deployment(for: reference.name, options: options) : nil
        let chatRequest = ChatRequest(
            model: deployment?.model ?? reference.name, messages: messages, parameters: options.parameters.chatParameters,
            tools: options.tools, toolChoice: options.toolChoice, responseFormat: options.responseFormat)
        // The OpenAI-shaped members name the parameters in the payload and the cache key, whatever the wire format.
        let members = OpenAIChatProvider.requestMembers(chatRequest, stream: payload.stream)
        let request = Dictionary(uniqueKeysWithValues: members)
        var payload = payload
        payload.provider = reference.provider
        payload.providerModel = deployment?.model ?? reference.name
        payload.apiBase = deployment?.apiBase
        payload.maskedAPIKey = deployment?.apiKey.map(\.masked)
        payload.modelParameters = request.filter { $0.key != "messages" && $0.key != "model" }
        self.payload = payload
        self.loggers = loggers
        self.deployment = deployment
        self.body = try deployment?.chat.requestBody(chatRequest, stream: payload.stream) ?? JSONValue.serializedObject(members)
        self.payload.requestBody = String(decoding: body, as: UTF8.self)
        self.price = options.price ?? listedPrice ?? provider.defaultPrice
        self.cacheKey = usesCache && options.cache.enabled
            ? CacheKey.make(namespace: options.cache.namespace, model: payload.model, request: request) : nil
        self.payload.cacheKey = cacheKey
        self.cacheTTL = options.cache.ttl
        self.mockResponse = options.mockResponse
    }

    /// A call that could not be resolved: only its payload, for the failure event.
    init(unresolved payload: LoggingPayload, loggers: [any CompletionLogger]) {
        self.payload = payload
        self.loggers = loggers
        deployment = nil
        body = []
        price = nil
        cacheKey = nil
        cacheTTL = nil
        mockResponse = nil
    }

    /// Records a successful response: usage, cost, end time.
    mutating func succeed(usage: WireUsage?) {
        payload.usage = usage
        payload.responseCost = usage.flatMap { usage in price?.cost(of: usage) }
        payload.endTime = Date()
        payload.status = .success
    }

    /// Records a failure.
    mutating func fail(_ error: any Error) {
        payload.error = LoggingPayload.ErrorInformation(error)
        payload.endTime = Date()
        payload.status = .failure
    }

    /// Records an answer from the cache: it cost nothing and saved what it cost when it was stored.
    mutating func hit(_ cached: CachedCompletion) {
        payload.cacheHit = true
        payload.savedCost = cached.cost ?? 0
        payload.firstTokenTime = Date()
        succeed(usage: cached.response.usage)
        payload.responseCost = 0
    }
}

