/// What an ``Agent`` run ended with.
public struct AgentResult: Sendable, Hashable {
    /// The whole conversation: the input, then each model turn and tool answer, the final answer last.
    public var messages: [Message]
    /// How many times the model was called.
    public var steps: Int

    /// Creates a result.
    public init(messages: [Message], steps: Int) {
        self.messages = messages
        self.steps = steps
    }

    /// The final answer: the last message.
    public var answer: Message { messages.last ?? .assistant("") }

    /// The token usage of every model turn, summed (`nil` when the model reported none).
    public var usage: Usage? {
        messages.compactMap(\.usage).reduce(nil) { total, usage in total.map { $0 + usage } ?? usage }
    }
}
