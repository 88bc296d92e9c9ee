/// What an ``Agent`` is doing, as ``Agent/updates(_:config:)`` reports it.
public enum AgentUpdate: Sendable, Hashable, CustomStringConvertible {
    /// A piece of the model's current turn, as it streams.
    case token(String)
    /// The model asked for a tool call; it starts now.
    case toolCall(ToolCall)
    /// A tool call ended: the message the model gets (the tool's output, or the error it is told about).
    case toolResult(ToolCall, Message)
    /// A ``TypedAgent``'s answer as far as it has streamed: the JSON so far, its open strings, arrays and objects
    /// closed (reported each time it grows; the last one may still lack members the final value has).
    case partialAnswer(JSONValue)
    /// The run ended with its final answer.
    case finished(AgentResult)

    /// A line for people: `calling weather({"city":"Paris"})`, `weather → Sunny`, the token's text.
    public var description: String {
        switch self {
        case .token(let text): text
        case .toolCall(let call): "calling \(call.name)(\(call.arguments))"
        case .toolResult(let call, let message): "\(call.name) → \(message.text)"
        case .partialAnswer(let answer): answer.jsonString
        case .finished(let result): result.answer.text
        }
    }
}
