/// Runs several runnables on the same input concurrently and returns their outputs by key.
///
/// Each branch is a child run tagged `map:key:<key>`.
///
/// ```swift
/// let both = RunnableParallel(["joke": jokeChain.eraseToAnyRunnable(), "poem": poemChain.eraseToAnyRunnable()])
/// let outputs = try await both.invoke(["topic": "bears"])   // ["joke": …, "poem": …]
/// ```
public struct RunnableParallel<Input: Sendable, Value: Sendable>: Runnable {
    /// The branches by key.
    public let branches: [String: AnyRunnable<Input, Value>]

    /// Creates a parallel map of `branches`.
    public init(_ branches: [String: AnyRunnable<Input, Value>]) {
        self.branches = branches
    }

    /// Creates a parallel map of branches of one type.
    public init<R: Runnable>(_ branches: [String: R]) where R.Input == Input, R.Output == Value {
        self.branches = branches.mapValues { AnyRunnable($0) }
    }

    /// The run name, listing the keys as LangChain does (`RunnableParallel<a,b>`).
    public var name: String { "RunnableParallel<\(branches.keys.sorted().joined(separator: ","))>" }

    /// Runs every branch concurrently as one traced run.
    public func invoke(_ input: Input, context: RunContext) async throws -> [String: Value] {
        try await context.traceChain(name: name, input: input) { _, manager in
            try await withThrowingTaskGroup(of: (String, Value).self) { group in
                for (key, branch) in branches {
                    let branchContext = context.child(of: manager, tag: "map:key:\(key)")
                    group.addTask { (key, try await branch.invoke(input, context: branchContext)) }
                }
                var outputs: [String: Value] = [:]
                for try await (key, value) in group { outputs[key] = value }
                return outputs
            }
        }
    }
}
