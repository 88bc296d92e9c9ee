/// Hooks around an ``Agent``'s loop, as LangChain's agent middleware: before the agent, before each model call,
/// around the model call, after each model call, around each tool call, after the agent.
///
/// An agent runs its middleware in order: `before` hooks first to last, `after` hooks last to first, and the first
/// middleware's `around` hook outermost. Each `before` and `after` hook is traced as a chain run named
/// `<name>.before_model` (and so on), so the model calls a hook makes (a summary) are traced under it and never
/// reach the agent's ``Agent/updates(_:config:)``.
///
/// ```swift
/// let logTurns = AgentMiddleware(name: "LogTurns", afterModel: { state in
///     print("turn \(state.modelCalls):", state.messages.last?.text ?? "")
/// })
/// let agent = try Agent(model: chat, tools: tools, middleware: [.modelCallLimit(5), logTurns])
/// ```
public struct AgentMiddleware: Sendable {
    /// The middleware's name, in traces.
    public var name: String
    /// Once, before the first model call: may change the input or end the run.
    public var beforeAgent: AgentStateHook?
    /// Before each model call: may change the conversation or end the run.
    public var beforeModel: AgentStateHook?
    /// Around each model call: may change the request, call `next` again (retry), call it with another model, or
    /// answer without it.
    public var aroundModelCall: (@Sendable (AgentModelRequest, _ next: AgentModelCall) async throws -> Message)?
    /// After each model call, the reply last in the conversation: may change it or end the run.
    public var afterModel: AgentStateHook?
    /// Around each tool call: may retry it, or answer without running the tool. Errors the hook throws are the
    /// tool's (answered to the model, or failing the run, as ``AgentOptions/toolFailure`` says).
    public var aroundToolCall: (@Sendable (AgentToolRequest, _ next: AgentToolCall) async throws -> Message)?
    /// Once, after the final answer: may change it.
    public var afterAgent: AgentStateHook?

    /// Creates a middleware from the hooks it needs.
    public init(
        name: String, beforeAgent: AgentStateHook? = nil, beforeModel: AgentStateHook? = nil,
        aroundModelCall: (@Sendable (AgentModelRequest, _ next: AgentModelCall) async throws -> Message)? = nil,
        afterModel: AgentStateHook? = nil,
        aroundToolCall: (@Sendable (AgentToolRequest, _ next: AgentToolCall) async throws -> Message)? = nil,
        afterAgent: AgentStateHook? = nil
    ) {
        self.name = name
        self.beforeAgent = beforeAgent
        self.beforeModel = beforeModel
        self.aroundModelCall = aroundModelCall
        self.afterModel = afterModel
        self.aroundToolCall = aroundToolCall
        self.afterAgent = afterAgent
    }
}
