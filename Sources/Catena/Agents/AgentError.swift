/// Why an ``Agent`` run failed. Each case keeps the conversation up to the failure.
public enum AgentError: Error, Sendable, CustomStringConvertible {
    /// The model was called `limit` times without giving a final answer.
    case stepLimitReached(limit: Int, conversation: [Message])
    /// A middleware's limit was reached (``AgentMiddleware/modelCallLimit(_:onLimit:)`` set to fail): what was
    /// counted, and the limit.
    case callLimitReached(_ counted: String, limit: Int, conversation: [Message])
    /// A tool threw, and ``AgentOptions/toolFailure`` is ``AgentOptions/ToolFailure/failRun``.
    case toolFailed(tool: String, callID: String?, underlying: any Error, conversation: [Message])
    /// A new run was started on a thread whose last run did not finish (it was interrupted, or its process died):
    /// resume it with ``Agent/resume(_:decisions:config:)-(AgentThread,_,_)`` first.
    case unfinishedThread(thread: String, conversation: [Message])

    /// The conversation so far: the input, then each model turn and tool answer.
    public var conversation: [Message] {
        switch self {
        case .stepLimitReached(_, let conversation), .callLimitReached(_, _, let conversation),
            .toolFailed(_, _, _, let conversation), .unfinishedThread(_, let conversation):
            conversation
        }
    }

    public var description: String {
        switch self {
        case .stepLimitReached(let limit, let conversation):
            let toolCalls = conversation.reduce(0) { $0 + $1.toolCalls.count }
            return "the agent made \(limit) model calls (maxSteps: \(limit)) and \(toolCalls) tool calls without "
                + "reaching a final answer"
        case .callLimitReached(let counted, let limit, _):
            return "the run reached its limit of \(limit) \(counted)"
        case .toolFailed(let tool, _, let underlying, _):
            return "tool '\(tool)' failed: \(underlying)"
        case .unfinishedThread(let thread, _):
            return "thread '\(thread)' has an unfinished run; resume it before starting another"
        }
    }
}
