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
        try await context.traceChain(name: name, input: input) { child, _ in
            try await child.makeCurrent { try await body(input) }
        }
    }
}
