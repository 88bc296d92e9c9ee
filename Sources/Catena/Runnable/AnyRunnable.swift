/// A type-erased runnable, for collections of runnables of different types with the same input and output.
public struct AnyRunnable<Input: Sendable, Output: Sendable>: Runnable {
    /// The wrapped runnable's name.
    public let name: String
    private let invokeBody: @Sendable (Input, RunContext) async throws -> Output
    private let streamBody: @Sendable (Input, RunContext) -> RunnableStream<Output>
    private let transformBody: @Sendable (RunnableStream<Input>, RunContext) -> RunnableStream<Output>

    /// Wraps `base`.
    public init<Base: Runnable>(_ base: Base) where Base.Input == Input, Base.Output == Output {
        if let erased = base as? AnyRunnable<Input, Output> {
            self = erased
            return
        }
        name = base.name
        invokeBody = { try await base.invoke($0, context: $1) }
        streamBody = { base.stream($0, context: $1) }
        transformBody = { base.transform($0, context: $1) }
    }

    /// Invokes the wrapped runnable.
    public func invoke(_ input: Input, context: RunContext) async throws -> Output {
        try await invokeBody(input, context)
    }

    /// Streams from the wrapped runnable.
    public func stream(_ input: Input, context: RunContext) -> RunnableStream<Output> {
        streamBody(input, context)
    }

    /// Transforms through the wrapped runnable.
    public func transform(_ input: RunnableStream<Input>, context: RunContext) -> RunnableStream<Output> {
        transformBody(input, context)
    }
}

extension Runnable {
    /// This runnable, type-erased.
    public func eraseToAnyRunnable() -> AnyRunnable<Input, Output> { AnyRunnable(self) }
}
