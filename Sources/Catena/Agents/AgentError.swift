/// Why an ``Agent`` run failed. Each case keeps the conversation up to the failure.
public enum AgentError: Error, Sendable, CustomStringConvertible {
    /// The model was called `limit` times without giving a final answer.
    case stepLimitReached(limit: Int, conversation: [Message])
    /// A tool threw, and ``AgentOptions/toolFailure`` is ``AgentOptions/ToolFailure/failRun``.
    case toolFailed(tool: String, callID: String?, underlying: any Error, conversation: [Message])

    /// The conversation so far: the input, then each model turn and tool answer.
    public var conversation: [Message] {
        switch self {
        case .stepLimitReached(_, let conversation), .toolFailed(_, _, _, let conversation): conversation
        }
    }

    public var description: String {
        switch self {
        case .stepLimitReached(let limit, let conversation):
            let toolCalls = conversation.reduce(0) { $0 + $1.toolCalls.count }
            return "the agent made \(limit) model calls (maxSteps: \(limit)) and \(toolCalls) tool calls without "
                + "reaching a final answer"
        case .toolFailed(let tool, _, let underlying, _):
            return "tool '\(tool)' failed: \(underlying)"
        }
    }
}
