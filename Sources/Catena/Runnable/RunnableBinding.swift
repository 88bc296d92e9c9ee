/// A runnable with a configuration and call options bound to it, applied on every call.
///
/// Made by ``Runnable/withConfig(_:)`` and ``Runnable/bind(stop:parameters:)``; it is transparent (starts no run
/// of its own).
public struct RunnableBinding<Base: Runnable>: Runnable {
    /// The wrapped runnable.
    public let base: Base
    /// The bound configuration, applied under the caller's.
    public var config: RunnableConfig
    /// The bound call options, for the base's own run.
    public var callOptions: CallOptions

    /// Binds `config` and `callOptions` to `base`.
    public init(base: Base, config: RunnableConfig = RunnableConfig(), callOptions: CallOptions = CallOptions()) {
        self.base = base
        self.config = config
        self.callOptions = callOptions
    }

    /// The base's name.
    public var name: String { base.name }

    /// Invokes the base with the bound configuration.
    public func invoke(_ input: Base.Input, context: RunContext) async throws -> Base.Output {
        try await base.invoke(input, context: bound(context))
    }

    /// Streams from the base with the bound configuration.
    public func stream(_ input: Base.Input, context: RunContext) -> RunnableStream<Base.Output> {
        base.stream(input, context: bound(context))
    }

    /// Transforms through the base with the bound configuration.
    public func transform(_ input: RunnableStream<Base.Input>, context: RunContext) -> RunnableStream<Base.Output> {
        base.transform(input, context: bound(context))
    }

    private func bound(_ context: RunContext) -> RunContext {
        var context = context.applying(config)
        context.callOptions = callOptions.merging(context.callOptions)
        return context
    }
}

extension Runnable {
    /// This runnable with `config` applied to every call (tags, metadata, handlers, run name, configurable values).
    public func withConfig(_ config: RunnableConfig) -> RunnableBinding<Self> {
        RunnableBinding(base: self, config: config)
    }

    /// This runnable with call options bound: stop sequences and extra model parameters.
    ///
    /// ```swift
    /// let oneLine = llm.bind(stop: ["\n"])
    /// ```
    public func bind(stop: [String]? = nil, parameters: [String: JSONValue] = [:]) -> RunnableBinding<Self> {
        RunnableBinding(base: self, callOptions: CallOptions(stop: stop, parameters: parameters))
    }
}
