import Catena
import CatenaOpenAI
import Foundation

extension CompletionResponse {
    /// A whole answer of another wire format in the OpenAI shape `completion` returns: one choice per candidate,
    /// its finish reason in OpenAI's words, and usage.
    init(translating result: ChatResult, created: Int) {
        let first = result.generations.first?.message
        self.init(
            id: first?.id ?? first?.response.id, model: first?.response.model, created: created,
            choices: result.generations.enumerated().map { index, generation in
                let message = generation.message ?? .assistant(generation.text)
                return Choice(
                    index: index, message: WireMessage(translating: message, role: "assistant"),
                    finishReason: Self.finishReason(message.response.finishReason))
            },
            usage: result.generations.first?.message?.usage.map(WireUsage.init(translating:)),
            object: "chat.completion")
    }

    /// A stream chunk of another wire format in the OpenAI shape; `usage` is the stream's running total, as the
    /// final OpenAI chunk reports it.
    init(translatingChunk message: Message, usage: Usage?, first: Bool, created: Int) {
        self.init(
            id: message.id ?? message.response.id, model: message.response.model, created: created,
            choices: [
                Choice(
                    index: 0, delta: WireMessage(translating: message, role: first ? "assistant" : nil),
                    finishReason: Self.finishReason(message.response.finishReason))
            ],
            usage: usage.map(WireUsage.init(translating:)), object: "chat.completion.chunk")
    }

    /// A finish reason in OpenAI's words, as LiteLLM maps them (`end_turn` and `stop_sequence` are `stop`,
    /// `max_tokens` is `length`, `tool_use` is `tool_calls`).
    static func finishReason(_ reason: String?) -> String? {
        switch reason {
        case "end_turn", "stop_sequence": "stop"
        case "max_tokens": "length"
        case "tool_use": "tool_calls"
        default: reason
        }
    }
}

/// Turns the message chunks of a stream, whatever its wire format, into chunks in the OpenAI shape: the first one
/// carries the role, and each usage report becomes the running total, as the final OpenAI chunk reports it.
struct CompletionChunkTranslator: Sendable {
    /// The creation time every chunk of the stream reports.
    let created: Int
    private var total: Usage?
    private var first = true

    init(created: Int) {
        self.created = created
    }

    /// The next chunk in the OpenAI shape.
    mutating func chunk(_ message: Message) -> CompletionResponse {
        if let usage = message.usage { total = total.map { $0 + usage } ?? usage }
        defer { first = false }
        return CompletionResponse(
            translatingChunk: message, usage: message.usage == nil ? nil : total, first: first, created: created)
    }
}

extension WireMessage {
    /// A message's text and tool calls as an OpenAI message or delta.
    init(translating message: Message, role: String?) {
        self.init(
            role: role, content: message.text,
            toolCalls: message.toolCalls.isEmpty
                ? nil
                : message.toolCalls.enumerated().map { position, call in
                    WireToolCall(
                        index: call.index ?? position, id: call.id,
                        function: .init(name: call.name.isEmpty ? nil : call.name, arguments: call.arguments))
                })
    }
}

extension WireUsage {
    /// A usage record in the OpenAI shape (cached and reasoning tokens as details when not zero).
    init(translating usage: Usage) {
        self.init(
            promptTokens: usage.inputTokens, completionTokens: usage.outputTokens, totalTokens: usage.totalTokens,
            cachedTokens: usage.cachedInputTokens == 0 ? nil : usage.cachedInputTokens,
            reasoningTokens: usage.reasoningTokens == 0 ? nil : usage.reasoningTokens)
    }
}
