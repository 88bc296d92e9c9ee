import Synchronization

/// Calls listeners with the ``RunRecord`` of a runnable's own run when it starts, ends or fails.
public struct RunnableWithListeners<Base: Runnable>: Runnable {
    /// The runnable listened to.
    public let base: Base
    private let listeners: Listeners

    struct Listeners: Sendable {
        var onStart: (@Sendable (RunRecord) -> Void)?
        var onEnd: (@Sendable (RunRecord) -> Void)?
        var onError: (@Sendable (RunRecord) -> Void)?
    }

    init(base: Base, listeners: Listeners) {
        self.base = base
        self.listeners = listeners
    }

    /// The base's name.
    public var name: String { base.name }

    /// Invokes the base with the listeners attached to its run.
    public func invoke(_ input: Base.Input, context: RunContext) async throws -> Base.Output {
        try await base.invoke(input, context: listening(context))
    }

    /// Streams from the base with the listeners attached to its run.
    public func stream(_ input: Base.Input, context: RunContext) -> RunnableStream<Base.Output> {
        base.stream(input, context: listening(context))
    }

    /// Transforms through the base with the listeners attached to its run.
    public func transform(_ input: RunnableStream<Base.Input>, context: RunContext) -> RunnableStream<Base.Output> {
        base.transform(input, context: listening(context))
    }

    private func listening(_ context: RunContext) -> RunContext {
        var context = context
        // Local: the handler sees the base's own run (the first run started with this context), not its children.
        context.callbacks.add(handlers: [RootRunListener(listeners: listeners)], inheritable: false)
        return context
    }
}

/// Builds the record of the first run it sees and calls the listeners for it.
final class RootRunListener<Base: Runnable>: EventCallbackHandler {
    private let listeners: RunnableWithListeners<Base>.Listeners
    private let record = Mutex<RunRecord?>(nil)

    init(listeners: RunnableWithListeners<Base>.Listeners) {
        self.listeners = listeners
    }

    func handle(_ event: CallbackEvent) {
        if let started = RunRecord(starting: event) {
            let isRoot = record.withLock { current -> Bool in
                guard current == nil else { return false }
                current = started
                return true
            }
            if isRoot { listeners.onStart?(started) }
            return
        }
        guard event.endsRun else { return }
        let finished = record.withLock { current -> RunRecord? in
            guard current?.id == event.run.id else { return nil }
            current?.apply(event)
            return current
        }
        guard let finished else { return }
        if finished.error == nil { listeners.onEnd?(finished) } else { listeners.onError?(finished) }
    }
}

extension Runnable {
    /// This runnable with listeners called with its run's record on start, end and error.
    ///
    /// ```swift
    /// let timed = chain.withListeners(onEnd: { run in print(run.name, run.duration) })
    /// ```
    public func withListeners(
        onStart: (@Sendable (RunRecord) -> Void)? = nil,
        onEnd: (@Sendable (RunRecord) -> Void)? = nil,
        onError: (@Sendable (RunRecord) -> Void)? = nil
    ) -> RunnableWithListeners<Self> {
        RunnableWithListeners(base: self, listeners: .init(onStart: onStart, onEnd: onEnd, onError: onError))
    }
}
