public import Foundation
import Tracing

/// What a run receives from whoever started it: the callback manager (handlers, tags, metadata, parent run),
/// configurable values, concurrency limit, and the run name, id and call options meant for this run only.
///
/// The context of the run in progress travels in a task-local (``current``), so a runnable invoked inside a lambda,
/// a tool or a model body attaches to its parent run without any plumbing.
public struct RunContext: Sendable {
    /// The context's values.
    private struct Values: Sendable {
        var callbacks: CallbackManager
        var runName: String?
        var runID: UUID?
        var maxConcurrency: Int?
        var configurable: [String: JSONValue]
        var callOptions: CallOptions
    }

    /// The values, shared between copies until one is changed: a context is copied into every frame and task-local
    /// of a run, so a copy costs one reference count.
    private final class Storage: Sendable {
        let values: Values
        init(_ values: Values) { self.values = values }
    }

    private var storage: Storage

    /// Handlers, tags, metadata and parent run for runs started with this context.
    public var callbacks: CallbackManager {
        get { storage.values.callbacks }
        set { update { $0.callbacks = newValue } }
    }
    /// Name of the next run (this level only).
    public var runName: String? {
        get { storage.values.runName }
        set { update { $0.runName = newValue } }
    }
    /// Id of the next run (this level only).
    public var runID: UUID? {
        get { storage.values.runID }
        set { update { $0.runID = newValue } }
    }
    /// The most inputs a batch runs at once.
    public var maxConcurrency: Int? {
        get { storage.values.maxConcurrency }
        set { update { $0.maxConcurrency = newValue } }
    }
    /// Values for configurable fields and alternatives.
    public var configurable: [String: JSONValue] {
        get { storage.values.configurable }
        set { update { $0.configurable = newValue } }
    }
    /// Options bound to the next model call (this level only).
    public var callOptions: CallOptions {
        get { storage.values.callOptions }
        set { update { $0.callOptions = newValue } }
    }

    /// Creates a context.
    public init(
        callbacks: CallbackManager = CallbackManager(),
        runName: String? = nil,
        runID: UUID? = nil,
        maxConcurrency: Int? = nil,
        configurable: [String: JSONValue] = [:],
        callOptions: CallOptions = CallOptions()
    ) {
        storage = Storage(
            Values(
                callbacks: callbacks, runName: runName, runID: runID, maxConcurrency: maxConcurrency,
                configurable: configurable, callOptions: callOptions))
    }

    /// Replaces the values with `change` applied (the storage is shared, so it is never changed in place).
    private mutating func update(_ change: (inout Values) -> Void) {
        var values = storage.values
        change(&values)
        storage = Storage(values)
    }

    /// The context of the run in progress on this task. Outside of any run, a root context: empty, or holding
    /// Catena's telemetry of the new run tree when a tracer or a metrics backend is in place (see the module's
    /// "Telemetry" article).
    public static var current: RunContext { frame.context }

    /// What ``current`` is made from.
    @TaskLocal private static var frame = CurrentFrame.root

    /// The root context without telemetry (shared: most calls start here).
    private static let emptyRoot = RunContext()

    /// The context of a new run tree: its telemetry, if a tracer or a metrics backend is in place.
    private static var root: RunContext {
        guard let telemetry = RunTelemetry.forNewRunTree() else { return emptyRoot }
        return RunContext(callbacks: CallbackManager(handlers: [telemetry], inheritableHandlers: [telemetry]))
    }

    /// This context with `config` applied: its callbacks, tags and metadata are added (inheritable), local
    /// callbacks are added for the next run only, and scalars given in `config` win.
    public func applying(_ config: RunnableConfig) -> RunContext {
        let changesNothing =
            config.callbacks.isEmpty && config.localCallbacks.isEmpty && config.tags.isEmpty && config.metadata.isEmpty
            && config.runName == nil && config.runID == nil && config.maxConcurrency == nil
            && config.configurable.isEmpty
            && config.logger == nil
        if changesNothing { return self }  // the common `invoke(x)`: no new storage
        var context = self
        context.update { values in
            if !config.callbacks.isEmpty { values.callbacks.add(handlers: config.callbacks, inheritable: true) }
            if !config.localCallbacks.isEmpty {
                values.callbacks.add(handlers: config.localCallbacks, inheritable: false)
            }
            if !config.tags.isEmpty { values.callbacks.add(tags: config.tags, inheritable: true) }
            if !config.metadata.isEmpty { values.callbacks.add(metadata: config.metadata, inheritable: true) }
            if let runName = config.runName { values.runName = runName }
            if let runID = config.runID { values.runID = runID }
            if let limit = config.maxConcurrency { values.maxConcurrency = limit }
            if !config.configurable.isEmpty { values.configurable.merge(config.configurable) { _, new in new } }
            if let logger = config.logger { values.callbacks.logger = logger }
        }
        return context
    }

    /// The context for runs started inside `run`, with an optional extra local tag (such as `seq:step:2`).
    /// Run name, run id and call options do not pass down.
    public func child(of run: some RunManager, tag: String? = nil) -> RunContext {
        RunContext(callbacks: run.child(tag: tag), maxConcurrency: maxConcurrency, configurable: configurable)
    }

    /// What the task-local holds: a context, or the context for runs started inside a run, made when read.
    private enum CurrentFrame: Sendable {
        case root
        case context(RunContext)
        case child(of: any RunManager, parent: RunContext)

        var context: RunContext {
            switch self {
            case .root: RunContext.root
            case .context(let context): context
            case .child(let run, let parent): parent.child(of: run, tag: nil)
            }
        }
    }

    /// The name the next run takes: the configured run name, or `defaultName`.
    public func runName(default defaultName: String) -> String { runName ?? defaultName }

    /// Runs `body` with this context as ``current``, so runnables invoked inside attach to this context's run.
    public func makeCurrent<T>(_ body: () async throws -> T) async rethrows -> T {
        try await RunContext.$frame.withValue(.context(self), operation: body)
    }

    /// Runs `body` with the context for runs started inside `run` as ``current``: the same as
    /// `child(of: run).makeCurrent(body)`, but the child context is only made if `body` reads it (most model and
    /// tool bodies never do).
    /// When the run has a span, `body` also runs with the span's `ServiceContext` as the current one, so the
    /// requests it makes join the run's trace.
    public func makeChildCurrent<T>(of run: some RunManager, _ body: () async throws -> T) async rethrows -> T {
        guard let span = run.spanContext else {
            return try await RunContext.$frame.withValue(.child(of: run, parent: self), operation: body)
        }
        // The service context inside the frame: the other way round, an error thrown by `body` never reached the
        // caller (seen with Swift 6.3.1 on Linux: the task hung).
        return try await RunContext.$frame.withValue(.child(of: run, parent: self)) {
            try await ServiceContext.$current.withValue(span, operation: body)
        }
    }

    /// Whether a run started with this context, or inside it, could be observed: some handler is attached.
    /// When none is, work inside a run skips publishing its context, which only handlers could tell apart.
    var isObserved: Bool { !callbacks.handlers.isEmpty || !callbacks.inheritableHandlers.isEmpty }

    /// Reports a custom event on the run in progress (visible to handlers and in ``Runnable/streamEvents(_:config:filter:delivery:)``).
    ///
    /// ```swift
    /// let step = RunnableLambda { (text: String) in
    ///     try RunContext.dispatchCustomEvent("progress", data: ["done": 0.5])
    ///     return text.uppercased()
    /// }
    /// ```
    /// - Throws: ``CatenaError`` with code `noParentRun` outside of a run.
    public static func dispatchCustomEvent(_ name: String, data: JSONValue) throws {
        try current.callbacks.dispatchCustomEvent(name, data: data)
    }
}
