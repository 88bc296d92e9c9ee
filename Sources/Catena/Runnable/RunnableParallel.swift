/// Runs several runnables on the same input concurrently and returns their outputs by key.
///
/// Each branch is a child run tagged `map:key:<key>`. Branches start in the order they were written, at most
/// ``RunnableConfig/maxConcurrency`` at once (all at once by default); the limit also passes to the runs inside
/// them.
///
/// Streaming a parallel map streams every branch at once: each yielded chunk is a partial dictionary with the key of
/// the branch that produced it (`["a": chunk]`), as soon as that branch yields it; the chunks merge into the
/// output (see ``StreamChunk``). A failing branch fails the stream and cancels the others; whether it ends, fails or
/// is cancelled, the stream returns only after every branch's run has ended.
///
/// ```swift
/// let both = RunnableParallel(["joke": jokeChain, "poem": poemChain])
/// let outputs = try await both.invoke(["topic": "bears"])   // ["joke": …, "poem": …]
/// for try await part in both.stream(["topic": "bears"]) { print(part) }   // ["poem": "Bears"], ["joke": "Why"], …
/// ```
public struct RunnableParallel<Input: Sendable, Value: Sendable>: Runnable {
    /// The branches, in the order they were written.
    public let branches: [(key: String, runnable: AnyRunnable<Input, Value>)]

    /// Creates a parallel map of `branches`, kept in the order written.
    /// - Precondition: The keys are distinct.
    public init(_ branches: KeyValuePairs<String, AnyRunnable<Input, Value>>) {
        self.init(branches: branches.map { ($0.key, $0.value) })
    }

    /// Creates a parallel map of branches of one type, kept in the order written.
    /// - Precondition: The keys are distinct.
    public init<R: Runnable>(_ branches: KeyValuePairs<String, R>) where R.Input == Input, R.Output == Value {
        self.init(branches: branches.map { ($0.key, AnyRunnable($0.value)) })
    }

    private init(branches: [(key: String, runnable: AnyRunnable<Input, Value>)]) {
        precondition(
            Set(branches.map(\.key)).count == branches.count, "RunnableParallel: each branch needs its own key")
        self.branches = branches
    }

    /// The run name, listing the keys in written order as LangChain does (`RunnableParallel<a,b>`).
    public var name: String { "RunnableParallel<\(branches.map(\.key).joined(separator: ","))>" }

    /// Runs the branches concurrently as one traced run.
    public func invoke(_ input: Input, context: RunContext) async throws -> [String: Value] {
        try await context.traceChain(name: name, input: input) { _, manager in
            var outputs: [String: Value] = [:]
            try await forEachBranch(context: context, manager: manager) { _, branch, branchContext in
                try await branch.invoke(input, context: branchContext)
            } collect: { key, output in
                outputs[key] = output
            }
            return outputs
        }
    }

    /// Streams the branches concurrently as one traced run, yielding each branch's chunks keyed by branch as they
    /// come.
    public func stream(_ input: Input, context: RunContext) -> RunnableStream<[String: Value]> {
        context.traceChainStream(name: name, input: input) { _, manager in
            RunnableStream.produced { send in
                try await forEachBranch(context: context, manager: manager) { key, branch, branchContext in
                    for try await chunk in branch.stream(input, context: branchContext) {
                        await send([key: chunk])
                    }
                } collect: { _, _ in
                }
            }
        }
    }

    /// Runs `work` for each branch with its child context, in written order and at most `maxConcurrency` at once,
    /// handing each output to `collect` with the branch's key as it completes.
    private func forEachBranch<T: Sendable>(
        context: RunContext, manager: ChainRunManager,
        _ work: @escaping @Sendable (String, AnyRunnable<Input, Value>, RunContext) async throws -> T,
        collect: (String, T) throws -> Void
    ) async throws {
        let branches = self.branches
        try await runLimited(count: branches.count, width: context.batchWidth(branches.count)) { index in
            let (key, branch) = branches[index]
            return try await work(key, branch, context.child(of: manager, tag: "map:key:\(key)"))
        } collect: { index, output in
            try collect(branches[index].key, output)
        }
    }
}
