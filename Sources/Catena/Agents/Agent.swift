/// A chat model that calls tools in a loop until it answers: LangChain's `create_agent`, as a ``Runnable``.
///
/// Each step, the model gets the conversation and the tools' definitions. When its reply asks for tool calls, the
/// tools run (the calls of one turn at once, at most ``AgentOptions/maxConcurrency``), their answers join the
/// conversation as tool messages, and the model is called again; a reply without tool calls is the final answer.
/// The run is a chain run with each model call and tool call a child run, so tracers, `streamEvents`, usage
/// totals and OpenTelemetry see every step.
///
/// The model is told about its own mistakes, as it is in LangChain: a tool name it made up, arguments that are not
/// JSON, and (by default) a tool's error come back as tool messages starting with `Error:`.
///
/// ```swift
/// let agent = try Agent(model: chat, tools: [weather, clock])
/// let result = try await agent.invoke([.user("What is the weather in Paris?")])
/// print(result.answer.text)
/// for try await update in agent.updates([.user("And in Rome?")]) { print(update) }
/// ```
public struct Agent<Model: ToolCallingChatModel>: Runnable {
    /// The name of the agent's runs.
    public let name: String
    /// The model, with the tools bound.
    public let model: Model
    /// The tools the model may call.
    public let tools: [any Tool]
    /// How the loop runs.
    public let options: AgentOptions
    /// The hooks around the loop, in order.
    public let middleware: [AgentMiddleware]
    let toolsByName: [String: any Tool]
    /// How the model's JSON turns are read, when it calls tools that way (``AgentToolCalling/json``).
    let jsonToolCalls: JSONToolCalls?
    /// The tool whose arguments are the run's typed answer (a ``TypedAgent``'s `final_answer`), reported as they
    /// stream.
    var answerTool: String?

    /// Creates an agent of `model` with `tools`, which the model calls natively.
    /// - Throws: ``CatenaError`` (`invalidConfiguration`) when two tools share a name.
    public init(
        name: String = "Agent", model: Model, tools: [any Tool], middleware: [AgentMiddleware] = [],
        options: AgentOptions = AgentOptions()
    ) throws(CatenaError) {
        let bound = tools.isEmpty ? model : model.bindingTools(tools.map(\.definition), choice: nil)
        try self.init(
            name: name, bound: bound, tools: tools, middleware: middleware, options: options, jsonToolCalls: nil)
    }

    private init(
        name: String, bound model: Model, tools: [any Tool], middleware: [AgentMiddleware], options: AgentOptions,
        jsonToolCalls: JSONToolCalls?
    ) throws(CatenaError) {
        var toolsByName: [String: any Tool] = [:]
        for tool in tools where toolsByName.updateValue(tool, forKey: tool.name) != nil {
            throw CatenaError(.invalidConfiguration, "two of the agent's tools are named '\(tool.name)'")
        }
        self.name = name
        self.model = model
        self.tools = tools
        self.options = options
        self.middleware = middleware
        self.toolsByName = toolsByName
        self.jsonToolCalls = jsonToolCalls
    }

    /// Runs the loop to its final answer, as a traced chain run.
    /// - Throws: ``AgentError`` when the step limit is reached or a tool fails a run set to fail; the model's and
    ///   the tools' errors otherwise.
    public func invoke(_ input: [Message], context: RunContext) async throws -> AgentResult {
        try await traced(AgentState(messages: input), .fresh, context: context, report: nil)
    }

    /// Resumes a run that a middleware interrupted (``AgentMiddleware/humanInTheLoop(before:)``) with a decision on
    /// each call it waits for, by call id: the approved and edited calls run, the rejected ones are answered to the
    /// model as rejected, and the loop goes on. Traced as a new run of the agent.
    /// - Throws: ``CatenaError`` (`invalidInput`) when a waiting call has no decision; what ``invoke(_:context:)``
    ///   throws (another interrupt included).
    public func resume(
        _ interrupt: AgentInterrupt, decisions: [String: ToolDecision], config: RunnableConfig = RunnableConfig()
    ) async throws -> AgentResult {
        try await traced(
            interrupt.state, .decided(decisions), context: RunContext.current.applying(config), report: nil)
    }

    /// Runs the loop, reporting each model turn's tokens, each tool call and its result as they happen, then the
    /// final answer. Stopping the iteration (or cancelling the consumer) cancels the run.
    public func updates(_ input: [Message], config: RunnableConfig = RunnableConfig()) -> RunnableStream<AgentUpdate> {
        reported(config: config) { context, send in
            try await traced(AgentState(messages: input), .fresh, context: context, report: send)
        }
    }

    /// A run of the loop from `start`, as the agent's traced chain run.
    func traced(
        _ start: AgentState, _ how: AgentRunStart, journal: AgentJournal? = nil, context: RunContext,
        report: AgentReport?
    ) async throws -> AgentResult {
        // Unobserved, the run reports to no one: the loop runs without its chain run, and holds less memory through
        // its model calls (the row "1,000 concurrent agent runs … memory per in-flight call").
        guard context.isObserved else {
            return try await run(start, how, journal: journal, context: context, report: report)
        }
        return try await observed(start, how, journal: journal, context: context, report: report)
    }

    /// ``traced(_:_:journal:context:report:)`` for an observed run: the loop in its chain run.
    @inline(never)
    private func observed(
        _ start: AgentState, _ how: AgentRunStart, journal: AgentJournal?, context: RunContext, report: AgentReport?
    ) async throws -> AgentResult {
        try await Self.marked(context).traceChain(name: name, input: start.messages) { child, _ in
            try await run(start, how, journal: journal, context: child, report: report)
        }
    }

    /// The updates of the run `body` makes in the context `config` gives, then its result.
    func reported(
        config: RunnableConfig,
        _ body: @escaping @Sendable (RunContext, @escaping AgentReport) async throws -> AgentResult
    ) -> RunnableStream<AgentUpdate> {
        let context = RunContext.current.applying(config)
        return .produced { send in await send(.finished(try await body(context, send))) }
    }

    /// `context`, with the metadata that makes the next run the agent's (an `invoke_agent` span), for that run only.
    private static func marked(_ context: RunContext) -> RunContext {
        var marked = context
        marked.callbacks.add(metadata: GenAIAttributes.agentMetadata, inheritable: false)
        return marked
    }
}

extension Agent where Model: StructuredOutputChatModel {
    /// Creates an agent of `model` with `tools`, which the model calls as `toolCalling` says: natively, or by
    /// answering JSON held to a schema, for models and servers without native tool calling (a small local model
    /// on llama.cpp).
    /// - Throws: ``CatenaError`` (`invalidConfiguration`) when two tools share a name.
    public init(
        name: String = "Agent", model: Model, tools: [any Tool], toolCalling: AgentToolCalling,
        middleware: [AgentMiddleware] = [], options: AgentOptions = AgentOptions()
    ) throws(CatenaError) {
        switch toolCalling {
        case .native:
            try self.init(name: name, model: model, tools: tools, middleware: middleware, options: options)
        case .json:
            try self.init(
                name: name, model: model, tools: tools, answerSchema: nil, middleware: middleware, options: options)
        }
    }

    /// An agent whose model calls `tools` through JSON turns, its final answer text or a value of `answerSchema`.
    init(
        name: String, model: Model, tools: [any Tool], answerSchema: JSONValue?, middleware: [AgentMiddleware],
        options: AgentOptions
    ) throws(CatenaError) {
        let calls = JSONToolCalls(tools: tools, answerSchema: answerSchema)
        try self.init(
            name: name, bound: model.withResponseFormat(calls.responseFormat), tools: tools, middleware: middleware,
            options: options, jsonToolCalls: calls)
    }
}

/// How an ``Agent``'s model calls tools.
public enum AgentToolCalling: Sendable, Hashable {
    /// The provider's own tool calling: definitions in the request, `tool_calls` in the answer.
    case native
    /// One JSON object per turn, held to a schema by the response format: a tool's name and arguments, or the
    /// final answer. One tool call per turn; works on any server that enforces JSON schemas (llama.cpp's grammar,
    /// vLLM's guided decoding, OpenAI's structured outputs).
    case json
}
