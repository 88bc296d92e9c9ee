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
    let delivery: DeliveryQueue<LogJob>
    let log: Logger
    let identifiers = CallIdentifiers()
    private let registered: Mutex<[any CompletionLogger]>
    /// Set by ``shutdown()``: calls then fail instead of logging into a closed queue.
    private let isShutDown = Atomic<Bool>(false)

    /// Creates a client.
    /// - Parameters:
    ///   - providers: The providers model references name (`provider/model`).
    ///   - prices: The price table that costs each call.
    ///   - cache: Where answers are cached, when calls ask for caching.
    ///   - loggers: Loggers that see every call (more with ``register(_:)``).
    ///   - logBufferCapacity: Logging events that may wait undelivered before callers wait for the loggers.
    ///   - logger: Where failures of hooks and of the cache are reported, and the logger of the calls' runs unless
    ///     the run a call is made in has one (`RunnableConfig.logger`).
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
        self.delivery = DeliveryQueue(capacity: logBufferCapacity) { job in
            await job.call.deliver(job.event, logger: logger)
        }
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
    public var logStatistics: DeliveryStatistics { delivery.statistics }

    /// Delivers the pending logging events, then closes every provider's connections. Calls made afterwards fail
    /// with ``CompletionError/clientShutDown``.
    public func shutdown() async throws {
        isShutDown.store(true, ordering: .releasing)
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
        try await complete(
            model: model, target: model, messages: messages, options: options, metadata: metadata, routing: nil)
    }

    /// The loggers for a call with `options`.
    func loggers(for options: CompletionOptions) -> [any CompletionLogger] {
        registered.withLock { $0 } + options.loggers
    }

    /// The handlers of a call with `options`: the run in progress's, then the call's own; its logger, else the client's.
    private func callbacks(for options: CompletionOptions) -> CallbackManager {
        var callbacks = RunContext.current.callbacks
        callbacks.add(handlers: options.callbacks, inheritable: false)
        if callbacks.logger == nil { callbacks.logger = log }
        return callbacks
    }

    /// Resolves a chat call (`relayed`: the caller's own Chat Completions body, see ``CallRoute``) and starts its
    /// model run (see ``begin(_:options:route:startRun:)``). Never inlined: inlined into an async caller, its
    /// temporaries would take room in the task's memory.
    @inline(never)
    func startCall(
        model: String, target: String, messages: [Message], options: CompletionOptions,
        metadata: [String: JSONValue], stream: Bool, routing: RoutingInformation?, relayed: [UInt8]? = nil
    ) throws -> CompletionCall<CallRoute> {
        try begin(
            { callID in
                LoggingPayload.initial(
                    callID: callID, traceID: options.traceID, callType: stream ? .streamingCompletion : .completion,
                    model: model,
                    messages: messages, metadata: metadata, routing: routing)
            },
            options: options,
            route: Result {
                try CallRoute(
                    model: model, target: target, messages: messages, options: options, stream: stream,
                    providers: providers, prices: prices, usesCache: cache != nil, relayed: relayed)
            },
            startRun: { callbacks, route in
                try callbacks.startChatModel(
                    name: model, messages: [messages], parameters: route?.invocationParameters ?? [:])
            })
    }

    /// Starts a call's model run (as a child of the run in progress, if any) with its logging; a call whose route
    /// could not be resolved ends its run with the error, so its loggers see the failure. Await the call's
    /// ``CompletionCall/waitForRoom()`` before going on.
    ///
    /// Synchronous, so that the call's temporaries live on the thread's stack rather than in the task's memory for
    /// as long as the call is in flight.
    func begin<Route: CallRouting>(
        _ payload: (_ callID: String) -> LoggingPayload, options: CompletionOptions, route: Result<Route, any Error>,
        startRun: (CallbackManager, Route?) throws -> LLMRunManager
    ) throws -> CompletionCall<Route> {
        guard !isShutDown.load(ordering: .acquiring) else { throw CompletionError.clientShutDown }
        let callID = identifiers.next()
        let loggers = loggers(for: options)
        var callbacks = callbacks(for: options)
        var logging: CallLogging?
        if !loggers.isEmpty {
            logging = CallLogging(payload: payload(callID), loggers: loggers, queue: delivery)
            callbacks.add(handlers: [logging!], inheritable: false)
        }
        if case .success(let route) = route { logging?.update(route.describe(in:)) }
        let run = try startRun(callbacks, try? route.get())
        do {
            return CompletionCall(id: callID, run: run, logging: logging, route: try route.get())
        } catch {
            try? run.onError(error)
            throw error
        }
    }

    /// A non-streaming call to `target` (a `provider/name`), logged as `model`.
    func complete(
        model: String, target: String, messages: [Message], options: CompletionOptions,
        metadata: [String: JSONValue], routing: RoutingInformation?
    ) async throws -> CompletionResponse {
        let call = try startCall(
            model: model, target: target, messages: messages, options: options, metadata: metadata, stream: false,
            routing: routing)
        return try await answer(call).response
    }
}
