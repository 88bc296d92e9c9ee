/// A function as a runnable, traced as a chain run.
///
/// The function runs with its run as the current context, so runnables it invokes become child runs and
/// custom events it dispatches attach to it.
///
/// ```swift
/// let shout = RunnableLambda(name: "shout") { (text: String) in text.uppercased() }
/// ```
public struct RunnableLambda<Input: Sendable, Output: Sendable>: Runnable {
    /// The name of the lambda's runs.
    public let name: String
    private let body: @Sendable (Input) async throws -> Output

    /// Wraps `body`.
    public init(name: String = "RunnableLambda", _ body: @escaping @Sendable (Input) async throws -> Output) {
        self.name = name
        self.body = body
    }

    /// Runs the function as a traced run.
    public func invoke(_ input: Input, context: RunContext) async throws -> Output {
        try await context.traceChain(name: name, input: input) { child, _ in try await call(input, in: child) }
    }

    /// The function's result as one chunk of a traced run (reported as the run's stream chunk, as LangChain does).
    public func stream(_ input: Input, context: RunContext) -> RunnableStream<Output> {
        context.traceChainStream(name: name, input: input) { child, _ in
            .single { try await call(input, in: child) }
        }
    }

    /// Merges the input chunks, then runs the function; the run starts when the first chunk arrives.
    public func transform(_ input: RunnableStream<Input>, context: RunContext) -> RunnableStream<Output> {
        context.traceChainTransform(name: name, input: input) { chunks, child, _ in
            .single { try await call(try await chunks.aggregate(), in: child) }
        }
    }

    /// Runs the function with its run's context as the current one.
    private func call(_ input: Input, in run: RunContext) async throws -> Output {
        try await run.makeCurrent { try await body(input) }
    }
}
