import Catena
import CatenaOpenAI
import Foundation
import Tracing

/// What every call's route tells its logging, its run and the cache: where it goes, its price and its cache key.
protocol CallRouting: Sendable {
    /// The price that costs the call's usage.
    var price: ModelPrice? { get }
    /// The call's cache key (`nil`: the call does not use the cache).
    var cacheKey: String? { get }
    /// How long a stored answer stays valid (`nil`: the cache's default).
    var cacheTTL: Duration? { get }
    /// Shows where the call goes in `payload`.
    func describe(in payload: inout LoggingPayload)
}

/// One call on its way: its model run, its route (where it goes and what it sends), and its logging.
final class CompletionCall<Route: CallRouting>: Sendable {
    /// Unique per call (per deployment attempt, for router calls).
    let id: String
    /// The call's model run: every hook of its loggers, and every handler of the run, sees its events.
    let run: LLMRunManager
    /// The call's logging (`nil` when no logger listens).
    let logging: CallLogging?
    let route: Route

    init(id: String, run: LLMRunManager, logging: CallLogging?, route: Route) {
        self.id = id
        self.run = run
        self.logging = logging
        self.route = route
    }

    /// What the call's usage cost (`nil`: no price or no usage).
    func cost(of usage: WireUsage?) -> Double? {
        usage.flatMap { route.price?.cost(of: $0) }
    }

    /// Ends the run with `result`, costed: what `usage` cost, or nothing for an answer `fromCache`. Both are only
    /// evaluated when a handler listens.
    func end(_ result: @autoclosure () -> LLMResult, usage: @autoclosure () -> WireUsage?, fromCache: Bool = false)
        throws
    {
        try run.onEnd(
            {
                var costed = result()
                costed.cost = fromCache ? 0 : cost(of: usage())
                return costed
            }())
    }

    /// Waits while the loggers' queue or a buffered handler of the run is full: a slow consumer slows new calls
    /// down instead of its queue growing without bound.
    func waitForRoom() async {
        await logging?.waitForRoom()
        await run.waitForBufferedHandlers()
    }

    /// Whether ``waitForRoom()`` would wait (checked first: an async call costs the task memory while in flight).
    var mustWaitForRoom: Bool { logging?.queueHasRoom == false || run.holdsFullBufferedHandler }

    /// Ends the run with `error`; a response that arrived but could not be read is still reported as received.
    func fail(_ error: any Error) {
        if case ModelServerError.decoding(let payload, _) = error {
            try? run.onResponse(body: Array(payload.utf8))
        }
        try? run.onError(error)
    }
}

extension CompletionCall where Route == CallRoute {
    /// Sends the request and waits for the whole answer.
    func send() async throws -> ProviderResponse {
        try await send { deployment, body, run in try await deployment.chat.respond(body: body, run: run) }
    }

    /// Sends the caller's own body (``CallRoute/relaysBody``) and waits for the answer's bytes as they come.
    func sendRelayed() async throws -> [UInt8] {
        try await send { deployment, body, run in
            try await deployment.client.responseBody(route: .chatCompletions, body: body, onRetry: run.onRetry)
        }
    }

    /// Reports the request, then has `request` send it to the deployment within the call's trace.
    private func send<Answer>(
        _ request: (ProviderDeployment, [UInt8], LLMRunManager) async throws -> Answer
    ) async throws -> Answer {
        try run.onRequest(body: route.body)
        guard let span = run.spanContext else { return try await request(route.deployment!, route.body, run) }
        // The request joins the call's trace.
        return try await ServiceContext.$current.withValue(span) {
            try await request(route.deployment!, route.body, run)
        }
    }

    /// The whole answer in the OpenAI shape, reported as the response: the provider's `reply`, or the mock's answer
    /// (a failing mock fails here, before post-API call). Never inlined into its async caller, whose temporaries
    /// would take room in the task's memory.
    @inline(never)
    func received(_ reply: ProviderResponse?) throws -> CompletionResponse {
        let response: CompletionResponse
        if let reply {
            try run.onResponse(body: reply.raw)
            response = route.deployment!.completionResponse(reply)
        } else {
            try run.onRequest(body: route.body)
            response = try route.mockResponse!.response(model: route.providerModel, id: id)
            try run.onResponse(body: nil)
        }
        logging?.update { $0.response = response }
        return response
    }

    /// What the cache stores for `response`: the response and what it cost.
    func cacheEntry(for response: CompletionResponse) throws -> [UInt8] {
        try CachedCompletion(response: response, cost: cost(of: response.usage)).encoded()
    }

    /// Ends the run with a cached answer.
    func answer(fromCache cached: CachedCompletion) throws -> CompletionResponse {
        logging?.update { $0.response = cached.response }
        try end(LLMResult(ChatResult(cached.response)), usage: nil, fromCache: true)
        return cached.response
    }
}

extension LoggingPayload {
    /// The payload of a call that has not been resolved yet (so a resolution failure is still logged).
    static func initial(
        callID: String, traceID: String?, callType: CallType, model: String, messages: [Message],
        input: [String]? = nil,
        metadata: [String: JSONValue], routing: RoutingInformation?
    ) -> LoggingPayload {
        LoggingPayload(
            callID: callID, traceID: traceID ?? callID, callType: callType, model: model,
            provider: "", messages: messages, input: input, modelParameters: [:], metadata: metadata,
            stream: callType == .streamingCompletion, startTime: Date(), status: .pending, routing: routing)
    }
}
