/// An ``Agent`` whose runs end with a typed value (LangChain's `response_format` on `create_agent`).
///
/// With native tool calling the model is given one more tool, `final_answer`, whose arguments are `Value`'s schema,
/// and must call a tool every turn: the run ends when it calls `final_answer` with arguments that fit (ones that do
/// not go back to it as an error naming the field, as any tool's). With ``AgentToolCalling/json`` the final
/// answer's JSON is held to `Value`'s schema by the server.
///
/// ```swift
/// @JSONSchema struct Forecast: Decodable, Sendable { var city: String; var celsius: Double }
/// let agent = try TypedAgent(model: chat, tools: [weather], output: Forecast.self)
/// let forecast = try await agent.invoke([.user("Paris tomorrow?")]).value
/// ```
public struct TypedAgent<Model: ToolCallingChatModel, Value: Decodable & JSONSchemaRepresentable & Sendable>:
    Runnable
{
    /// The name of the tool that gives the final answer.
    public static var finalAnswerTool: String { "final_answer" }

    /// The agent that runs the loop.
    public let agent: Agent<Model>
    private let answersInText: Bool

    /// Creates an agent of `model` with `tools`, which the model calls natively, answering with a `Value`.
    /// - Throws: ``CatenaError`` (`invalidConfiguration`) when two tools share a name (`final_answer` included).
    public init(
        name: String = "Agent", model: Model, tools: [any Tool], output: Value.Type,
        middleware: [AgentMiddleware] = [], options: AgentOptions = AgentOptions()
    ) throws(CatenaError) {
        let finalAnswer = FunctionTool(
            name: Self.finalAnswerTool, description: "Gives the final answer; call it once you know the answer.",
            parameters: Value.jsonSchema
        ) { (_: JSONValue) in "Final answer given." }
        var agent = try Agent(
            name: name, model: model.bindingTools([ToolDefinition](), choice: .required), tools: tools + [finalAnswer],
            middleware: middleware + [Self.endingOnFinalAnswer], options: options)
        agent.answerTool = Self.finalAnswerTool
        self.agent = agent
        answersInText = false
    }

    private init(agent: Agent<Model>) {
        self.agent = agent
        answersInText = true
    }

    /// Runs the agent to its final answer and reads it as a `Value`.
    /// - Throws: ``AgentError`` as ``Agent`` does; ``OutputParserError`` when the run ended without a
    ///   `Value` (a limit middleware's answer, say).
    public func invoke(_ input: [Message], context: RunContext) async throws -> TypedAgentResult<Value> {
        try typed(await agent.invoke(input, context: context))
    }

    /// Runs the agent on `thread`, as ``Agent/invoke(_:in:config:)`` does, and reads its answer as a `Value`.
    /// - Throws: What ``Agent/invoke(_:in:config:)`` and ``invoke(_:context:)`` throw.
    public func invoke(_ input: [Message], in thread: AgentThread, config: RunnableConfig = RunnableConfig())
        async throws -> TypedAgentResult<Value>
    {
        try typed(await agent.invoke(input, in: thread, config: config))
    }

    /// Goes on with the unfinished run of `thread`, as ``Agent/resume(_:decisions:config:)-(AgentThread,_,_)``
    /// does, and reads its answer as a `Value`.
    /// - Throws: What ``Agent/resume(_:decisions:config:)-(AgentThread,_,_)`` and ``invoke(_:context:)`` throw.
    public func resume(
        _ thread: AgentThread, decisions: [String: ToolDecision] = [:], config: RunnableConfig = RunnableConfig()
    ) async throws -> TypedAgentResult<Value> {
        try typed(await agent.resume(thread, decisions: decisions, config: config))
    }

    /// Runs the agent as ``Agent/updates(_:config:)`` does, reporting the answer as it streams
    /// (``AgentUpdate/partialAnswer(_:)``), and ends with the typed value.
    public func updates(_ input: [Message], config: RunnableConfig = RunnableConfig())
        -> RunnableStream<TypedAgentUpdate<Value>>
    {
        let steps = agent.updates(input, config: config)
        return .produced { send in
            for try await step in steps {
                if case .finished(let run) = step {
                    await send(.finished(try typed(run)))
                } else {
                    await send(.step(step))
                }
            }
        }
    }

    /// `run`, with the `Value` it ended with.
    private func typed(_ run: AgentResult) throws -> TypedAgentResult<Value> {
        TypedAgentResult(value: try value(of: run), run: run)
    }

    /// The `Value` a run ended with.
    private func value(of run: AgentResult) throws -> Value {
        let parser = DecodableOutputParser<String, Value>(checking: Value.jsonSchema)
        if answersInText { return try parser.parse(run.answer.text) }
        let call = run.messages.last { $0.role == .assistant }?.toolCalls.last { $0.name == Self.finalAnswerTool }
        guard let call else {
            throw OutputParserError(
                rawOutput: run.answer.text,
                reason: "the run ended without a \(Value.self) (\(Self.finalAnswerTool) was not called)")
        }
        return try parser.parse(call.arguments)
    }

    /// Ends the run once the model calls `final_answer` with arguments that fit `Value`'s schema.
    private static var endingOnFinalAnswer: AgentMiddleware {
        AgentMiddleware(
            name: "FinalAnswer",
            afterModel: { state in
                let calls = state.messages.last?.toolCalls ?? []
                guard let call = calls.last(where: { $0.name == finalAnswerTool }),
                    (try? call.parsedArguments().check(against: Value.jsonSchema)) != nil
                else { return }
                state.end(with: .tool("Final answer given.", callID: call.id ?? ""))
            })
    }
}

extension TypedAgent where Model: StructuredOutputChatModel {
    /// Creates an agent of `model` with `tools`, which the model calls as `toolCalling` says, answering with a
    /// `Value` (with ``AgentToolCalling/json``, its final turn's answer is held to `Value`'s schema).
    /// - Throws: ``CatenaError`` (`invalidConfiguration`) when two tools share a name.
    public init(
        name: String = "Agent", model: Model, tools: [any Tool], output: Value.Type, toolCalling: AgentToolCalling,
        middleware: [AgentMiddleware] = [], options: AgentOptions = AgentOptions()
    ) throws(CatenaError) {
        switch toolCalling {
        case .native:
            try self.init(
                name: name, model: model, tools: tools, output: output, middleware: middleware, options: options)
        case .json:
            self.init(
                agent: try Agent(
                    name: name, model: model, tools: tools, answerSchema: Value.jsonSchema, middleware: middleware,
                    options: options))
        }
    }
}

/// What a ``TypedAgent`` is doing, as ``TypedAgent/updates(_:config:)`` reports it.
public enum TypedAgentUpdate<Value: Sendable>: Sendable {
    /// A step of the run, as an ``Agent`` reports it: tokens, tool calls and results, the answer as far as it has
    /// streamed (``AgentUpdate/partialAnswer(_:)``); never ``AgentUpdate/finished(_:)``.
    case step(AgentUpdate)
    /// The run ended with its value.
    case finished(TypedAgentResult<Value>)
}

/// What a ``TypedAgent`` run ended with: the value, and the run.
public struct TypedAgentResult<Value: Sendable>: Sendable {
    /// The final answer.
    public var value: Value
    /// The conversation and the steps taken.
    public var run: AgentResult
}
