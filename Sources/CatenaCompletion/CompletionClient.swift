public import Catena
public import CatenaOpenAI
public import Logging
import Foundation
import Synchronization

/// The completion layer: one entry point over many providers and deployments, with logging callbacks, cost per
/// call and a response cache (LiteLLM's `completion`, as a value you own instead of module-wide settings).
///
/// ```swift
/// let llm = CompletionClient(cache: InMemoryResponseCache())
/// llm.register(CompletionCallbacks(success: { print($0.model, $0.responseCost ?? 0, $0.cacheHit ?? false) }))
/// let response = try await llm.completion(
///     model: "hosted_vllm/local", messages: [.user("Hi")],
///     options: .init(apiBase: "http://127.0.0.1:8089/v1"), metadata: ["team": "search"])
/// print(response.text)
/// for try await chunk in llm.streamingCompletion(model: "openai/gpt-4o-mini", messages: [.user("Hi")]) {
///     print(chunk.text, terminator: "")
/// }
/// await llm.flush()   // every logging event delivered
/// ```
///
/// Call ``shutdown()`` when done: it delivers the pending logging events and closes the connections.
public final class CompletionClient: Sendable {
    /// The providers, by prefix.
    public let providers: ProviderRegistry
    /// The prices used for cost.
    public let prices: PriceTable
    /// The response cache (`nil`: no caching).
    public let cache: (any ResponseCache)?
    let delivery: LogDelivery
    let log: Logger
    let identifiers = CallIdentifiers()
    private let registered: Mutex<[any CompletionLogger]>

    /// Creates a client.
    /// - Parameters:
    ///   - providers: The providers model references name (`provider/model`).
    ///   - prices: The price table that costs each call.
    ///   - cache: Where answers are cached, when calls ask for caching.
    ///   - loggers: Loggers that see every call (more with ``register(_:)``).
    ///   - logBufferCapacity: Logging events that may wait undelivered before callers wait for the loggers.
    ///   - logger: Where failures of hooks and of the cache are reported.
    public init(
        providers: ProviderRegistry = .standard(), prices: PriceTable = .bundled, cache: (any ResponseCache)? = nil,
        loggers: [any CompletionLogger] = [], logBufferCapacity: Int = 10_000,
        logger: Logger = Logger(label: "catena.completion")
    ) {
        self.providers = providers
        self.prices = prices
        self.cache = cache
        self.registered = Mutex(loggers)
        self.log = logger
        self.delivery = LogDelivery(capacity: logBufferCapacity, logger: logger)
    }

    /// Adds a logger that sees every call started from now on.
    public func register(_ logger: any CompletionLogger) {
        registered.withLock { $0.append(logger) }
    }

    /// Waits until every logging event of the calls so far has been delivered.
    public func flush() async {
        await delivery.flush()
    }

    /// How logging delivery went so far.
    public var logStatistics: LogDeliveryStatistics { delivery.statistics }

    /// Delivers the pending logging events, then closes every provider's connections.
    public func shutdown() async throws {
        await delivery.shutdown()
        try await providers.shutdown()
    }

    /// Sends `messages` to `model` (`provider/name`, such as `hosted_vllm/meta-llama/Llama-3.1-8B-Instruct`) and
    /// returns the whole response.
    /// - Throws: ``CompletionError`` for an unknown provider or model or missing configuration,
    ///   `ModelServerError` when the call fails.
    public func completion(
        model: String, messages: [Message], options: CompletionOptions = CompletionOptions(),
        metadata: [String: JSONValue] = [:]
    ) async throws -> CompletionResponse {
        try await complete(model: model, target: model, messages: messages, options: options, metadata: metadata, routing: nil)
    }

    /// The loggers for a call with `options`.
    func loggers(for options: CompletionOptions) -> [any CompletionLogger] {
        registered.withLock { $0 } + options.loggers
    }

    /// Hands an event of `call` to its loggers (returns once queued).
    func emit(_ event: LogEvent, _ call: CompletionCall) async {
        guard !call.loggers.isEmpty else { return }
        await delivery.submit(LogDelivery.Job(event: event, payload: call.payload, loggers: call.loggers))
    }

    /// Resolves a call, logging a failure to resolve it.
    func prepare(
        model: String, target: String, messages: [Message], options: CompletionOptions,
        metadata: [String: JSONValue], stream: Bool, routing: RoutingInformation?
    ) async throws -> CompletionCall {
        let payload = CompletionCall.initialPayload(
            callID: identifiers.next(), model: model, messages: messages, metadata: metadata, stream: stream,
            routing: routing)
        let loggers = loggers(for: options)
        do {
            return try CompletionCall(
                payload: payload, target: target, messages: messages, options: options, loggers: loggers,
                providers: providers, prices: prices, usesCache: cache != nil)
        } catch {
            var call = CompletionCall(unresolved: payload, loggers: loggers)
            call.fail(error)
            await emit(.failure, call)
            throw error
        }
    }

    /// A non-streaming call to `target` (a `provider/name`), logged as `model`.
    func complete(
        model: String, target: String, messages: [Message], options: CompletionOptions,
        metadata: [String: JSONValue], routing: RoutingInformation?
    ) async throws -> CompletionResponse {
        var call = try await prepare(
            model: model, target: target, messages: messages, options: options, metadata: metadata, stream: false,
            routing: routing)
        if let cached = await cachedAnswer(&call) {
            call.payload.response = cached.response
            await emit(.success, call)
            return cached.response
        }
        await emit(.preAPICall, call)
        do {
            // A mock answers (or fails) in place of the request: a failing one never reaches post-API call.
            let mocked = try call.mockResponse?.response(model: call.payload.providerModel ?? model, id: call.payload.callID)
            let reply = mocked == nil ? try await call.deployment!.send(body: call.body) : nil
            call.payload.firstTokenTime = Date()
            call.payload.rawResponse = reply.map { String(decoding: $0.raw, as: UTF8.self) }
            await emit(.postAPICall, call)
            let response = try mocked ?? call.deployment!.completionResponse(reply!)
            call.succeed(usage: response.usage)
            call.payload.response = response
            await store(response, of: &call)
            await emit(.success, call)
            return response
        } catch {
            call.fail(error)
            await emit(.failure, call)
            throw error
        }
    }

    /// The cached answer of `call`, if any; records the hit or miss (or the cache's failure) in its payload.
    func cachedAnswer(_ call: inout CompletionCall) async -> CachedCompletion? {
        guard let cache, let key = call.cacheKey else { return nil }
        do {
            guard let bytes = try await cache.value(forKey: key) else {
                call.payload.cacheHit = false
                return nil
            }
            let cached = try CachedCompletion(decoding: bytes)
            call.hit(cached)
            return cached
        } catch {
            call.payload.cacheHit = false
            call.payload.cacheError = "\(error)"
            log.warning("the completion cache failed; answering from the model", metadata: ["error": "\(error)", "call_id": "\(call.payload.callID)"])
            return nil
        }
    }

    /// Stores a successful answer; a failing cache is logged and shown in the payload.
    func store(_ response: CompletionResponse, of call: inout CompletionCall) async {
        guard let cache, let key = call.cacheKey else { return }
        do {
            try await cache.setValue(
                try CachedCompletion(response: response, cost: call.payload.responseCost).encoded(), forKey: key, ttl: call.cacheTTL)
        } catch {
            call.payload.cacheError = "\(error)"
            log.warning("could not store the answer in the completion cache", metadata: ["error": "\(error)", "call_id": "\(call.payload.callID)"])
        }
    }
}
