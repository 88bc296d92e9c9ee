/// Reads a model's output as text, chunk by chunk when streaming.
///
/// ```swift
/// let chain = prompt | chatModel | StringOutputParser()
/// let parser = StringOutputParser()   // alone, it reads a chat model's message
/// ```
public struct StringOutputParser<Input: ModelOutputText>: Runnable {
    /// The name of its runs.
    public var name: String { "StringOutputParser" }

    /// Creates the parser.
    public init() {}

    /// The output's text, as a traced parser run.
    public func invoke(_ input: Input, context: RunContext) async throws -> String {
        try await context.traceChain(name: name, type: .parser, input: input) { _, _ in input.outputText }
    }

    /// The output's text as one chunk.
    public func stream(_ input: Input, context: RunContext) -> RunnableStream<String> {
        context.traceChainStream(name: name, type: .parser, input: input) { _, _ in .of([input.outputText]) }
    }

    /// The text of each chunk as it arrives.
    public func transform(_ input: RunnableStream<Input>, context: RunContext) -> RunnableStream<String> {
        context.traceChainTransform(name: name, type: .parser, input: input) { chunks, _, _ in
            chunks.map { $0.outputText }
        }
    }
}

extension StringOutputParser where Input == Message {
    /// A parser of a chat model's message: what `StringOutputParser()` makes where nothing says which output it
    /// reads (in a chain, the model before it does).
    public init() {}
}
