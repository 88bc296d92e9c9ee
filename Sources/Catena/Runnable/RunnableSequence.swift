/// Runnables run one after another, each output feeding the next input: what `a | b | c` builds.
///
/// The sequence is one chain run whose steps are child runs tagged `seq:step:1`, `seq:step:2`, …; nested
/// sequences are flattened. Streaming streams through every step that can stream: a parser after a model yields
/// as soon as the model yields.
public struct RunnableSequence<Input: Sendable, Output: Sendable>: Runnable {
    /// The name of its runs.
    public var name: String { "RunnableSequence" }

    let steps: [SequenceStep]

    init(steps: [SequenceStep]) {
        self.steps = steps
    }

    /// The number of steps.
    public var count: Int { steps.count }

    /// Runs the steps in order as one traced run.
    public func invoke(_ input: Input, context: RunContext) async throws -> Output {
        try await context.traceChain(name: name, input: input) { _, manager in
            var value: any Sendable = input
            for (offset, step) in steps.enumerated() {
                value = try await step.invoke(value, context.child(of: manager, tag: SequenceStep.tag(offset)))
            }
            return value as! Output
        }
    }

    /// Streams through every step.
    public func stream(_ input: Input, context: RunContext) -> RunnableStream<Output> {
        context.traceChainStream(name: name, input: input) { _, manager in
            pipe(.of([input]), context: context, manager: manager)
        }
    }

    /// Transforms a stream through every step.
    public func transform(_ input: RunnableStream<Input>, context: RunContext) -> RunnableStream<Output> {
        context.traceChainTransform(name: name, input: input) { chunks, _, manager in
            pipe(chunks, context: context, manager: manager)
        }
    }

    private func pipe(_ input: RunnableStream<Input>, context: RunContext, manager: ChainRunManager)
        -> RunnableStream<Output>
    {
        // Each step's output type is the next step's input type (`|` checks it), so the streams pass from step to
        // step as they are, boxed only between steps: no per-chunk conversion layer.
        var stream: any Sendable = input
        for (offset, step) in steps.enumerated() {
            stream = step.transform(stream, context.child(of: manager, tag: SequenceStep.tag(offset)))
        }
        return stream as! RunnableStream<Output>
    }
}

/// One step of a sequence with its types erased, so sequences of any length share one type.
struct SequenceStep: Sendable {
    /// The child tag of the step at `offset` (`seq:step:1` for the first).
    static func tag(_ offset: Int) -> String {
        offset < firstTags.count ? firstTags[offset] : "seq:step:\(offset + 1)"
    }

    /// The tags of the first steps, made once rather than per run.
    private static let firstTags = (1...16).map { "seq:step:\($0)" }

    let invoke: @Sendable (any Sendable, RunContext) async throws -> any Sendable
    /// Transforms the step's input stream (a `RunnableStream` of its input type) into its output stream.
    let transform: @Sendable (any Sendable, RunContext) -> any Sendable

    init<R: Runnable>(_ runnable: R) {
        invoke = { input, context in try await runnable.invoke(input as! R.Input, context: context) }
        transform = { input, context in runnable.transform(input as! RunnableStream<R.Input>, context: context) }
    }

    /// The steps of `runnable`: its own steps when it is a sequence, otherwise itself.
    static func steps<R: Runnable>(of runnable: R) -> [SequenceStep] {
        (runnable as? RunnableSequence<R.Input, R.Output>)?.steps ?? [SequenceStep(runnable)]
    }
}

/// Chains two runnables: the output of `lhs` is the input of `rhs`.
///
/// ```swift
/// let chain = prompt | model | StringOutputParser()
/// ```
public func | <A: Runnable, B: Runnable>(lhs: A, rhs: B) -> RunnableSequence<A.Input, B.Output>
where A.Output == B.Input {
    RunnableSequence(steps: SequenceStep.steps(of: lhs) + SequenceStep.steps(of: rhs))
}

/// Chains a runnable and a function (which becomes a ``RunnableLambda``).
public func | <A: Runnable, Output: Sendable>(
    lhs: A, rhs: @escaping @Sendable (A.Output) async throws -> Output
) -> RunnableSequence<A.Input, Output> {
    lhs | RunnableLambda(rhs)
}
