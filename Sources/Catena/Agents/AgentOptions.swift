/// How an ``Agent`` runs its loop.
public struct AgentOptions: Sendable, Hashable {
    /// What the agent does when a tool throws.
    public enum ToolFailure: Sendable, Hashable {
        /// The model is answered with the error's text (`Error: …`), and may try again or give up.
        case answerModel
        /// The run fails with ``AgentError/toolFailed(tool:callID:underlying:conversation:)``.
        case failRun
    }

    /// The most model calls in one run; past it the run fails with
    /// ``AgentError/stepLimitReached(limit:conversation:)``.
    public var maxSteps: Int
    /// The most tool calls of one model turn that run at once.
    public var maxConcurrency: Int
    /// What a tool's error does.
    public var toolFailure: ToolFailure

    /// Creates options: 25 steps (LangGraph's default recursion limit), 4 tool calls at once, tool errors answered
    /// to the model.
    public init(maxSteps: Int = 25, maxConcurrency: Int = 4, toolFailure: ToolFailure = .answerModel) {
        self.maxSteps = max(1, maxSteps)
        self.maxConcurrency = max(1, maxConcurrency)
        self.toolFailure = toolFailure
    }
}
