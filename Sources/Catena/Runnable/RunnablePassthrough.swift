/// Passes its input through unchanged, chunk by chunk when streaming. Useful as a branch of a
/// ``RunnableParallel`` that keeps the original input.
public struct RunnablePassthrough<Value: Sendable>: Runnable {
    /// The name of its runs.
    public var name: String { "RunnablePassthrough" }

    /// Creates a passthrough.
    public init() {}

    /// Returns `input`.
    public func invoke(_ input: Value, context: RunContext) async throws -> Value {
        try await context.traceChain(name: name, input: input) { _, _ in input }
    }

    /// Yields `input`.
    public func stream(_ input: Value, context: RunContext) -> RunnableStream<Value> {
        context.traceChainStream(name: name, input: input) { _, _ in .of([input]) }
    }

    /// Yields each input chunk as it arrives.
    public func transform(_ input: RunnableStream<Value>, context: RunContext) -> RunnableStream<Value> {
        context.traceChainTransform(name: name, input: input) { chunks, _, _ in chunks }
    }
}
