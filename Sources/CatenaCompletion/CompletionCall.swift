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

    /// Waits while the loggers' queue or a buffered handler of the run is full: a slow consumer slows new calls
    /// down instead of its queue growing without bound.
    func waitForRoom() async {
        await logging?.waitForRoom()
        await run.waitForBufferedHandlers()
    }

    /// Whether ``waitForRoom()`` would wait (checked first: an async call costs the task memory while in flight).
    var mustWaitForRoom: Bool { logging?.queueHasRoom == false || run.holdsFullBufferedHandler }

    /// Sends the request and waits for the whole answer.
    func send() async throws -> ProviderResponse {
        try run.onRequest(body: route.body)
        return try await route.deployment!.chat.respond(body: route.body, run: run)
    }

    /// The whole answer in the OpenAI shape, reported as the response: the provider's `reply`, or the mock's answer
    /// (a failing mock fails here, before post-API call).
    func received(_ reply: ProviderResponse?) throws -> CompletionResponse {
        let response: CompletionResponse
        if let reply {
            try run.onResponse(body: reply.raw)
            response = try route.deployment!.completionResponse(reply)
        } else {
            try run.onRequest(body: route.body)
            response = try route.mockResponse!.response(model: route.providerModel, id: id)
            try run.onResponse(body: nil)
        }
        logging?.update { $0.response = response }
        return response
    }

    /// Ends the run with a cached answer.
    func answer(fromCache cached: CachedCompletion) throws -> CompletionResponse {
        logging?.update { $0.response = cached.response }
        try run.onEnd(LLMResult(ChatResult(cached.response)))
        return cached.response
    }

    /// Ends the run with `error`; a response that arrived but could not be read is still reported as received.
    func fail(_ error: any Error) {
        if case ModelServerError.decoding(let payload, _) = error {
            try? run.onResponse(body: Array(payload.utf8))
        }
        try? run.onError(error)
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
    /// The request's members in OpenAI's names, whatever the wire format: what the payload and the cache key show.
    let members: [(String, JSONValue)]
    /// The body a deployment's wire format sends (`nil` for a mock).
    private let deploymentBody: [UInt8]?
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
        self.provider = reference.provider
        self.deployment = deployment
        self.providerModel = chatRequest.model
        self.members = members
        self.deploymentBody = try deployment?.chat.requestBody(chatRequest, stream: stream)
        self.price = options.price ?? listedPrice ?? provider.defaultPrice
        self.cacheKey = usesCache && options.cache.enabled
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
