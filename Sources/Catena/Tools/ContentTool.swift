/// A tool whose answers can hold more than text, such as images: an agent gives the model the tool message's
/// content as ``answer(_:)`` returns it (a screenshot tool, an MCP tool that answers with an image). Its run's
/// output in the run tree is that content's text.
///
/// Chat Completions takes only text in a tool message: there, the images follow in a user message of their own.
/// Anthropic's Messages and OpenAI's Responses take them in the tool result itself.
public protocol ContentTool: Tool {
    /// Runs the tool with `arguments` and returns the content of its answer: text, and images as parts.
    func answer(_ arguments: JSONValue) async throws -> MessageContent
}

extension ContentTool {
    /// Runs the tool as a traced tool run (tool start, end with the content's text, and error hooks) and returns
    /// the content of its answer.
    public func invokeForContent(_ input: JSONValue, context: RunContext) async throws -> MessageContent {
        let manager = try context.callbacks.startTool(
            name: context.runName(default: name), input: input, runID: context.runID)
        do {
            let content = try await context.makeChildCurrent(of: manager) { try await answer(input) }
            try manager.onEnd(content.text)
            return content
        } catch {
            try? manager.onError(error)
            throw error
        }
    }
}

extension Message {
    /// A tool message answering the call with id `callID` with `content` (text and images).
    public static func tool(_ content: MessageContent, callID: String) -> Message {
        Message(role: .tool, content: content, toolCallID: callID)
    }
}
