import Catena
import CatenaOpenAI
import Foundation

/// OpenAI's Responses shapes for an answer: the whole `response` object, or the stream's events.
enum ResponsesResponse {
    /// The response object for a whole `response`.
    static func response(_ response: CompletionResponse, model: String) -> JSONValue {
        let choice = response.choices.first
        let id = response.id ?? "resp"
        var output: [JSONValue] = []
        if let text = choice?.message?.content, !text.isEmpty {
            output.append(messageItem(id: "msg_\(id)", text: text, done: true))
        }
        for call in choice?.message?.toolCalls ?? [] {
            output.append(
                callItem(
                    callID: call.id ?? "call_\(output.count)", name: call.function?.name ?? "",
                    arguments: call.function?.arguments ?? "",
                    done: true))
        }
        return object(
            id: id, created: response.created ?? Int(Date().timeIntervalSince1970), model: model,
            status: status(choice?.finishReason), output: output, usage: response.usage)
    }

    /// A response object: `status` `in_progress`, `completed` or `incomplete` (the output token limit reached).
    static func object(id: String, created: Int, model: String, status: String, output: [JSONValue], usage: WireUsage?)
        -> JSONValue
    {
        [
            "id": .string(id.hasPrefix("resp_") ? id : "resp_\(id)"), "object": "response", "created_at": .int(created),
            "status": .string(status), "model": .string(model), "output": .array(output), "error": .null,
            "incomplete_details": status == "incomplete" ? ["reason": "max_output_tokens"] : .null,
            "parallel_tool_calls": true, "tool_choice": "auto", "tools": [], "text": ["format": ["type": "text"]],
            "metadata": [:], "usage": usage.map(Self.usage) ?? .null,
        ]
    }

    /// The status for an OpenAI finish reason.
    static func status(_ finishReason: String?) -> String { finishReason == "length" ? "incomplete" : "completed" }

    static func usage(_ usage: WireUsage) -> JSONValue {
        [
            "input_tokens": .int(usage.promptTokens),
            "input_tokens_details": ["cached_tokens": .int(usage.promptTokensDetails?.cachedTokens ?? 0)],
            "output_tokens": .int(usage.completionTokens),
            "output_tokens_details": ["reasoning_tokens": .int(usage.completionTokensDetails?.reasoningTokens ?? 0)],
            "total_tokens": .int(usage.totalTokens ?? usage.promptTokens &+ usage.completionTokens),
        ]
    }

    /// An assistant message item holding `text`.
    static func messageItem(id: String, text: String, done: Bool) -> JSONValue {
        [
            "type": "message", "id": .string(id), "status": done ? "completed" : "in_progress", "role": "assistant",
            "content": done ? [textPart(text)] : [],
        ]
    }

    /// A function call item.
    static func callItem(callID: String, name: String, arguments: String, done: Bool) -> JSONValue {
        [
            "type": "function_call", "id": .string("fc_\(callID)"), "call_id": .string(callID), "name": .string(name),
            "arguments": .string(arguments), "status": done ? "completed" : "in_progress",
        ]
    }

    static func textPart(_ text: String) -> JSONValue {
        ["type": "output_text", "text": .string(text), "annotations": []]
    }
}
