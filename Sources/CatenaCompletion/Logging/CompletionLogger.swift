public import CatenaOpenAI

/// Receives the logging events of `completion` calls: register it on a ``CompletionClient`` (every call) or pass
/// it in ``CompletionOptions/loggers`` (one call). Every hook has a default that does nothing.
///
/// Per call, each hook fires exactly once per event, streaming or not: pre-API call, post-API call, one stream
/// event per chunk, then success or failure. A cache hit fires only success (no API call was made). Hooks run
/// off the request path in order; a hook that throws is logged and the other hooks still run.
///
/// ```swift
/// struct CostTracker: CompletionLogger {
///     let total: Mutex<Double>
///     func logSuccess(_ payload: LoggingPayload) async throws {
///         total.withLock { $0 += payload.responseCost ?? 0 }
///     }
/// }
/// ```
public protocol CompletionLogger: Sendable {
    /// Before the request is sent; `payload.requestBody` is the exact body.
    func logPreAPICall(_ payload: LoggingPayload) async throws
    /// When the response is complete: the body arrived, or the stream's last chunk did.
    func logPostAPICall(_ payload: LoggingPayload) async throws
    /// Each chunk of a stream, in order.
    func logStreamEvent(_ chunk: CompletionResponse, payload: LoggingPayload) async throws
    /// Once, when the call succeeded: the whole response (assembled, for streams), usage and cost.
    func logSuccess(_ payload: LoggingPayload) async throws
    /// Once, when the call failed: `payload.error`.
    func logFailure(_ payload: LoggingPayload) async throws
}

extension CompletionLogger {
    /// Does nothing.
    public func logPreAPICall(_ payload: LoggingPayload) async throws {}
    /// Does nothing.
    public func logPostAPICall(_ payload: LoggingPayload) async throws {}
    /// Does nothing.
    public func logStreamEvent(_ chunk: CompletionResponse, payload: LoggingPayload) async throws {}
    /// Does nothing.
    public func logSuccess(_ payload: LoggingPayload) async throws {}
    /// Does nothing.
    public func logFailure(_ payload: LoggingPayload) async throws {}
}

/// Closure callbacks (LiteLLM's `input_callback`, `success_callback`, `failure_callback`) as a logger.
///
/// ```swift
/// client.register(CompletionCallbacks(success: { payload in print(payload.responseCost ?? 0) }))
/// ```
public struct CompletionCallbacks: CompletionLogger {
    /// A callback receiving the payload.
    public typealias Callback = @Sendable (LoggingPayload) async throws -> Void

    /// Before the request is sent.
    public var input: Callback?
    /// When a call succeeded.
    public var success: Callback?
    /// When a call failed.
    public var failure: Callback?

    /// Creates callbacks; leave out those you do not need.
    public init(input: Callback? = nil, success: Callback? = nil, failure: Callback? = nil) {
        self.input = input
        self.success = success
        self.failure = failure
    }

    public func logPreAPICall(_ payload: LoggingPayload) async throws { try await input?(payload) }
    public func logSuccess(_ payload: LoggingPayload) async throws { try await success?(payload) }
    public func logFailure(_ payload: LoggingPayload) async throws { try await failure?(payload) }
}
