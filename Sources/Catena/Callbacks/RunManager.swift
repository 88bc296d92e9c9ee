public import Foundation

/// What every run manager offers: the run's identity, text, retry and custom events, and child managers.
///
/// Concrete managers (``ChainRunManager``, ``LLMRunManager``, ``ToolRunManager``, ``RetrieverRunManager``) add the
/// end and error hooks of their kind. Each run reports exactly one end or error; later ones are ignored.
public protocol RunManager: Sendable {
    /// The run this manager reports for.
    var run: RunInfo { get }
    /// Whether the run has reported its end or error.
    var hasEnded: Bool { get }
    /// Reports some text.
    func onText(_ text: String) throws
    /// Reports that the run will retry after a failed attempt.
    func onRetry(_ state: RetryState) throws
    /// Reports a custom event on this run.
    func onCustomEvent(_ name: String, data: JSONValue) throws
    /// The callback manager for runs started inside this one, with an optional extra local tag (such as
    /// `seq:step:2`).
    func child(tag: String?) -> CallbackManager
}

extension RunManager {
    /// The run's id.
    public var runID: UUID { run.id }

    /// The callback manager for runs started inside this one.
    public func child() -> CallbackManager { child(tag: nil) }
}

/// The run managers Catena makes: each holds the run's shared state, which implements ``RunManager``.
protocol CoreRunManager: RunManager {
    /// The shared run state.
    var core: RunCore { get }
}

extension CoreRunManager {
    public var run: RunInfo { core.run }
    public var hasEnded: Bool { core.hasEnded }
    public func onText(_ text: String) throws { try core.emit(.text(text)) }
    public func onRetry(_ state: RetryState) throws { try core.emit(.retry(state)) }
    public func onCustomEvent(_ name: String, data: JSONValue) throws {
        try core.emit(.customEvent(name: name, data: data))
    }
    public func child(tag: String?) -> CallbackManager { core.child(tag: tag) }
}

/// Reports the events of a chain-like run: sequences, lambdas, prompts, parsers, retries, fallbacks.
public struct ChainRunManager: CoreRunManager {
    let core: RunCore

    /// A manager that reports nothing.
    public static let noop = ChainRunManager(core: RunCore.noop)

    /// Reports a chunk the run yielded while streaming.
    public func onStream(_ chunk: RunValue) throws { try core.emit(.chainStream(chunk: chunk)) }
    /// Reports the run's output.
    public func onEnd(_ outputs: RunValue) throws {
        try core.finish(.chainEnd(outputs: outputs))
    }
    /// Reports the run's failure.
    public func onError(_ error: any Error) throws {
        try core.finish(.chainError(error: error))
    }
}

/// Reports the events of a model run: tokens, end, error with the partial result. What a model's `call` or
/// `generate` receives.
public struct LLMRunManager: CoreRunManager {
    let core: RunCore

    /// A manager that reports nothing: what a model's body gets when no handler observes the call (and what to
    /// pass when calling a model body outside of the framework).
    public static let noop = LLMRunManager(core: RunCore.noop)

    /// Reports a new token; `chunk` is the generation chunk it belongs to (built only when a handler listens).
    public func onNewToken(_ token: String, chunk: @autoclosure () -> Generation? = nil) throws {
        try core.emit(.llmNewToken(token: token, chunk: chunk()))
    }
    /// Reports that the run is answered from its cache.
    public func onCacheHit() throws { try core.emit(.cacheHit) }
    /// Reports that the run's cache had no answer (or failed), so the model is called.
    public func onCacheMiss() throws { try core.emit(.cacheMiss) }
    /// Whether a ``BufferedCallbackHandler`` of the run is full.
    package var holdsFullBufferedHandler: Bool { core.handlers.holdsFullBufferedHandler }
    /// Waits while a ``BufferedCallbackHandler`` of the run is full (see ``CallbackManager/waitForBufferedHandlers()``).
    package func waitForBufferedHandlers() async {
        await core.handlers.waitForBufferedHandlers()
    }
    /// Reports the exact request body, before it is sent.
    public func onRequest(body: @autoclosure () -> [UInt8]) throws { try core.emit(.llmRequest(body: body())) }
    /// Reports a whole answer's body as received (`nil`: none was read); not for streams.
    public func onResponse(body: [UInt8]?) throws { try core.emit(.llmResponse(body: body)) }
    /// Reports the run's result.
    public func onEnd(_ result: @autoclosure () -> LLMResult) throws { try core.finish(.llmEnd(result: result())) }
    /// Reports the run's failure with what was generated before it.
    public func onError(_ error: any Error, partial: LLMResult = .empty) throws {
        try core.finish(.llmError(error: error, partial: partial))
    }
}

/// Reports the events of a tool run.
public struct ToolRunManager: CoreRunManager, OutputRunManager {
    let core: RunCore

    /// Reports the tool's output.
    public func onEnd(_ output: String) throws { try core.finish(.toolEnd(output: output)) }
    /// Reports the tool's failure.
    public func onError(_ error: any Error) throws { try core.finish(.toolError(error: error)) }
}

/// Reports the events of a retriever run.
public struct RetrieverRunManager: CoreRunManager, OutputRunManager {
    let core: RunCore

    /// Reports the documents found.
    public func onEnd(_ documents: [Document]) throws {
        try core.finish(.retrieverEnd(documents: documents))
    }
    /// Reports the retriever's failure.
    public func onError(_ error: any Error) throws {
        try core.finish(.retrieverError(error: error))
    }
}

/// A run manager whose run ends with an output of one type or an error: what ``RunContext/trace(_:_:)`` drives.
protocol OutputRunManager: RunManager {
    associatedtype RunOutput
    /// Reports the run's output.
    func onEnd(_ output: RunOutput) throws
    /// Reports the run's failure.
    func onError(_ error: any Error) throws
}

extension RunContext {
    /// Runs `body` inside the run `manager` reports for (runs started in `body` become its children), then reports
    /// exactly one end or error.
    func trace<Manager: OutputRunManager>(
        _ manager: Manager, _ body: () async throws -> Manager.RunOutput
    ) async throws -> Manager.RunOutput {
        do {
            let output = try await makeChildCurrent(of: manager) { try await body() }
            try manager.onEnd(output)
            return output
        } catch {
            try? manager.onError(error)
            throw error
        }
    }
}

extension RunCore {
    /// A run with no handlers, shared by the no-op managers.
    static let noop = RunCore(
        run: RunInfo(id: untracedID, parentID: nil, name: "noop", type: .chain, tags: [], metadata: [:]),
        manager: CallbackManager())
}
