/// A unit of work with a typed input and output that can be invoked, streamed, batched and composed.
///
/// Conforming types implement the traced entry points taking a ``RunContext``; users call the public
/// entry points taking a ``RunnableConfig`` (``invoke(_:config:)``, ``stream(_:config:)``, ``batch(_:config:)``,
/// ``batchAsCompleted(_:config:)``, ``streamEvents(_:config:filter:delivery:)``), which resolve the context of the run in
/// progress and apply the config.
///
/// Most code never conforms directly: models conform through ``LLM`` and ``ChatModel``, functions through
/// ``RunnableLambda``, and pipelines are built with `|`:
///
/// ```swift
/// let chain = ChatPromptTemplate([.system("you are a bot"), .user("{input}")]) | model | StringOutputParser()
/// let answer = try await chain.invoke(["input": "hello"])
/// ```
public protocol Runnable<Input, Output>: Sendable {
    /// What the runnable takes.
    associatedtype Input: Sendable
    /// What the runnable returns.
    associatedtype Output: Sendable

    /// The name runs of this runnable take by default.
    var name: String { get }

    /// Runs once on `input` within `context`, reporting the run to the context's handlers.
    func invoke(_ input: Input, context: RunContext) async throws -> Output

    /// Streams the output for `input`. Default: one chunk, the result of ``invoke(_:context:)``.
    func stream(_ input: Input, context: RunContext) -> RunnableStream<Output>

    /// Streams the output for a stream of input chunks. Default: merges the input chunks, then ``stream(_:context:)``.
    /// Parsers and passthroughs override it to work chunk by chunk.
    func transform(_ input: RunnableStream<Input>, context: RunContext) -> RunnableStream<Output>
}

extension Runnable {
    /// The type's name without generic arguments.
    public var name: String { TypeNames.name(of: Self.self) }

    /// One chunk: the result of ``invoke(_:context:)``.
    public func stream(_ input: Input, context: RunContext) -> RunnableStream<Output> {
        .single { try await self.invoke(input, context: context) }
    }

    /// Merges the input chunks, then streams.
    public func transform(_ input: RunnableStream<Input>, context: RunContext) -> RunnableStream<Output> {
        .deferred { self.stream(try await input.aggregate(), context: context) }
    }
}

extension Runnable {
    /// Runs once on `input`, with the current run's context.
    ///
    /// Inside another run (a lambda, a tool, a model body), the new run becomes its child. The same as
    /// ``invoke(_:config:)`` with an empty configuration, without one in the caller's frame (which every call in
    /// flight holds while it waits). Inlinable, so that the call goes straight to the runnable's own `invoke`.
    @inlinable
    public func invoke(_ input: Input) async throws -> Output {
        try await invoke(input, context: RunContext.current)
    }

    /// Runs once on `input`.
    ///
    /// Inside another run (a lambda, a tool, a model body), the new run becomes its child.
    /// - Parameters:
    ///   - input: The input.
    ///   - config: Tags, metadata, handlers and other options for this call.
    public func invoke(_ input: Input, config: RunnableConfig = RunnableConfig()) async throws -> Output {
        let context = RunContext.current.applying(config)
        await context.callbacks.waitForBufferedHandlers()
        return try await invoke(input, context: context)
    }

    /// Streams the output for `input`; see ``RunnableStream`` for cancellation.
    ///
    /// ```swift
    /// for try await token in llm.stream("hello") { print(token, terminator: "|") }
    /// ```
    public func stream(_ input: Input, config: RunnableConfig = RunnableConfig()) -> RunnableStream<Output> {
        stream(input, context: RunContext.current.applying(config))
    }
}
