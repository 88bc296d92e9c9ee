/// Receives the events of runs: starts, tokens, ends, errors, retries, text and custom events.
///
/// The framework hands each handler every event as one ``CallbackEvent`` through ``handle(_:)``. A handler either
/// implements ``handle(_:)`` itself (and switches on the event's payload), or implements only the named hooks it
/// needs (``onLLMNewToken(_:token:chunk:)``, …), which the default ``handle(_:)`` calls. Every hook has a no-op
/// default. Hooks run inline, in order, on the
/// task that produced the event: keep them cheap. A handler that does slow I/O should be wrapped in
/// ``BufferedCallbackHandler``, which delivers the same events in the same order off the hot path.
///
/// A hook that throws is logged and isolated unless ``raisesErrors`` is `true`, in which case the error surfaces
/// from the run.
///
/// Handlers are objects: one attached at several levels of a run tree (a chain's config and a nested call's)
/// receives each event once, as in LangChain.
///
/// ```swift
/// final class TokenPrinter: CallbackHandler {
///     func onLLMNewToken(_ run: RunInfo, token: String, chunk: Generation?) throws { print(token, terminator: "") }
/// }
///
/// final class EventPrinter: CallbackHandler {
///     func handle(_ event: CallbackEvent) throws { print(event.run.name, event.hookName) }
/// }
/// ```
public protocol CallbackHandler: AnyObject, Sendable {
    /// Skip LLM and chat-model events.
    var ignoresLLM: Bool { get }
    /// Skip chat-model start events.
    var ignoresChatModel: Bool { get }
    /// Skip chain events (sequences, lambdas, prompts, parsers).
    var ignoresChain: Bool { get }
    /// Skip tool events.
    var ignoresTool: Bool { get }
    /// Skip retriever events.
    var ignoresRetriever: Bool { get }
    /// Skip retry events.
    var ignoresRetry: Bool { get }
    /// Skip custom events.
    var ignoresCustomEvent: Bool { get }
    /// Whether an error thrown by a hook surfaces from the run (default `false`: logged and isolated).
    var raisesErrors: Bool { get }

    /// Receives one event that the ignore flags let through. Default: calls the named hook that matches it.
    func handle(_ event: CallbackEvent) throws

    /// A text model run started with these prompts.
    func onLLMStart(_ run: RunInfo, prompts: [String], parameters: InvocationParameters) throws
    /// A chat model run started with these message lists.
    func onChatModelStart(_ run: RunInfo, messages: [[Message]], parameters: InvocationParameters) throws
    /// A model produced a token; called before the chunk is yielded to the consumer.
    func onLLMNewToken(_ run: RunInfo, token: String, chunk: Generation?) throws
    /// A model run ended.
    func onLLMEnd(_ run: RunInfo, result: LLMResult) throws
    /// A model run sent its request (the exact body).
    func onLLMRequest(_ run: RunInfo, body: [UInt8]) throws
    /// A model run's whole answer arrived (`nil`: no body was read, as for a mock); streams report none.
    func onLLMResponse(_ run: RunInfo, body: [UInt8]?) throws
    /// A model run failed; `partial` holds what was generated before the error.
    func onLLMError(_ run: RunInfo, error: any Error, partial: LLMResult) throws
    /// A chain run (sequence, lambda, prompt, parser, …) started.
    func onChainStart(_ run: RunInfo, inputs: RunValue) throws
    /// A chain run yielded a stream chunk (only while streaming).
    func onChainStream(_ run: RunInfo, chunk: RunValue) throws
    /// A chain run ended.
    func onChainEnd(_ run: RunInfo, outputs: RunValue) throws
    /// A chain run failed.
    func onChainError(_ run: RunInfo, error: any Error) throws
    /// A tool run started with this input.
    func onToolStart(_ run: RunInfo, input: JSONValue) throws
    /// A tool run ended.
    func onToolEnd(_ run: RunInfo, output: String) throws
    /// A tool run failed.
    func onToolError(_ run: RunInfo, error: any Error) throws
    /// A retriever run started.
    func onRetrieverStart(_ run: RunInfo, query: String) throws
    /// A retriever run ended.
    func onRetrieverEnd(_ run: RunInfo, documents: [Document]) throws
    /// A retriever run failed.
    func onRetrieverError(_ run: RunInfo, error: any Error) throws
    /// A run reported some text.
    func onText(_ run: RunInfo, text: String) throws
    /// A run is about to retry after a failed attempt.
    func onRetry(_ run: RunInfo, state: RetryState) throws
    /// A model run is answered from its cache instead of the model.
    func onCacheHit(_ run: RunInfo) throws
    /// A model run with a cache found no answer in it (or the cache failed): the model is called.
    func onCacheMiss(_ run: RunInfo) throws
    /// User code dispatched a custom event inside a run.
    func onCustomEvent(_ run: RunInfo, name: String, data: JSONValue) throws
}

extension CallbackHandler {
    public var ignoresLLM: Bool { false }
    public var ignoresChatModel: Bool { false }
    public var ignoresChain: Bool { false }
    public var ignoresTool: Bool { false }
    public var ignoresRetriever: Bool { false }
    public var ignoresRetry: Bool { false }
    public var ignoresCustomEvent: Bool { false }
    public var raisesErrors: Bool { false }

    /// Calls the named hook that matches `event`.
    public func handle(_ event: CallbackEvent) throws { try event.deliver(to: self) }

    public func onLLMStart(_ run: RunInfo, prompts: [String], parameters: InvocationParameters) throws {}
    public func onChatModelStart(_ run: RunInfo, messages: [[Message]], parameters: InvocationParameters) throws {}
    public func onLLMNewToken(_ run: RunInfo, token: String, chunk: Generation?) throws {}
    public func onLLMEnd(_ run: RunInfo, result: LLMResult) throws {}
    public func onLLMRequest(_ run: RunInfo, body: [UInt8]) throws {}
    public func onLLMResponse(_ run: RunInfo, body: [UInt8]?) throws {}
    public func onLLMError(_ run: RunInfo, error: any Error, partial: LLMResult) throws {}
    public func onChainStart(_ run: RunInfo, inputs: RunValue) throws {}
    public func onChainStream(_ run: RunInfo, chunk: RunValue) throws {}
    public func onChainEnd(_ run: RunInfo, outputs: RunValue) throws {}
    public func onChainError(_ run: RunInfo, error: any Error) throws {}
    public func onToolStart(_ run: RunInfo, input: JSONValue) throws {}
    public func onToolEnd(_ run: RunInfo, output: String) throws {}
    public func onToolError(_ run: RunInfo, error: any Error) throws {}
    public func onRetrieverStart(_ run: RunInfo, query: String) throws {}
    public func onRetrieverEnd(_ run: RunInfo, documents: [Document]) throws {}
    public func onRetrieverError(_ run: RunInfo, error: any Error) throws {}
    public func onText(_ run: RunInfo, text: String) throws {}
    public func onRetry(_ run: RunInfo, state: RetryState) throws {}
    public func onCacheHit(_ run: RunInfo) throws {}
    public func onCacheMiss(_ run: RunInfo) throws {}
    public func onCustomEvent(_ run: RunInfo, name: String, data: JSONValue) throws {}
}
