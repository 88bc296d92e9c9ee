extension AgentMiddleware {
    /// Once the conversation passes `tokens` (estimated at four characters a token), the answers of all but the
    /// last `keepingLast` tool calls are replaced with `placeholder` (LangChain's context editing,
    /// `ClearToolUsesEdit`). The calls stay, so the model still knows what it did.
    public static func clearToolResults(
        above tokens: Int, keepingLast: Int = 3, placeholder: String = "[cleared]"
    ) -> AgentMiddleware {
        AgentMiddleware(
            name: "ClearToolResults",
            beforeModel: { state in
                guard estimatedTokens(state.messages) > tokens else { return }
                let toolAnswers = state.messages.indices.filter { state.messages[$0].role == .tool }
                for index in toolAnswers.dropLast(max(0, keepingLast)) where state.messages[index].text != placeholder {
                    state.messages[index].content = .text(placeholder)
                }
            })
    }

    /// Once the conversation passes `tokens` (estimated at four characters a token), the messages before the last
    /// `keepingLast` are replaced with a summary `model` writes (LangChain's `SummarizationMiddleware`). A system
    /// message at the start stays, and a tool call is never kept apart from its answers. The summary's model call
    /// is traced under this middleware's hook. `prompt` is the instruction the summary is written by (by default,
    /// to keep every fact, name, number and decision).
    public static func summarization(
        model: any Runnable<PromptValue, Message>, above tokens: Int, keepingLast: Int = 20,
        prompt: String? = nil
    ) -> AgentMiddleware {
        let prompt = prompt ?? defaultSummaryPrompt
        return AgentMiddleware(
            name: "Summarization",
            beforeModel: { state in
                guard estimatedTokens(state.messages) > tokens else { return }
                let start = state.messages.first?.role == .system ? 1 : 0
                var cut = max(start, state.messages.count - max(0, keepingLast))
                // The kept part must not begin with tool answers whose call would be summarized away.
                while cut > start, state.messages[cut].role == .tool { cut -= 1 }
                guard cut > start else { return }
                let transcript = state.messages[start..<cut].map { "\($0.speakerLabel): \($0.text)" }
                    .joined(separator: "\n")
                let summary = try await model.invoke(.messages([.system(prompt), .user(transcript)]))
                state.messages.replaceSubrange(
                    start..<cut, with: [.user("Here is a summary of the conversation so far:\n\(summary.text)")])
            })
    }
}

/// What the summarization middleware asks its model by default.
let defaultSummaryPrompt = """
    Summarize this conversation so far for the assistant that continues it. Keep every fact, name, number and \
    decision it will need.
    """

/// The conversation's size in tokens, estimated at four characters a token (with each tool call's arguments).
func estimatedTokens(_ messages: [Message]) -> Int {
    messages.reduce(0) { total, message in
        total + (message.text.utf8.count + message.toolCalls.reduce(0) { $0 + $1.arguments.utf8.count }) / 4
    }
}
