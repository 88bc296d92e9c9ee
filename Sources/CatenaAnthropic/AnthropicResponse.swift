import Catena
import CatenaOpenAI

/// Reads the Messages API's answers.
enum AnthropicResponse {
    /// The assistant message of a whole response: text blocks joined, `tool_use` blocks as tool calls, usage, and
    /// `id`, `model_name` and `finish_reason` (the stop reason) as response metadata.
    /// - Throws: ``ModelServerError/decoding(payload:reason:)`` when the response is not a message.
    static func message(from json: JSONValue) throws -> Message {
        guard json["type"]?.stringValue == "message", let blocks = json["content"]?.arrayValue else {
            throw ModelServerError.decoding(payload: json.jsonString, reason: "expected a message with content blocks")
        }
        var message = Message.assistant("")
        var text = ""
        for block in blocks {
            switch block["type"]?.stringValue {
            case "text": text += block["text"]?.stringValue ?? ""
            case "tool_use":
                message.toolCalls.append(
                    ToolCall(
                        id: block["id"]?.stringValue, name: block["name"]?.stringValue ?? "",
                        arguments: (block["input"] ?? [:]).jsonString))
            default: break  // thinking and other blocks are not part of the answer's text
            }
        }
        message.content = .text(text)
        message.id = json["id"]?.stringValue
        message.usage = try json["usage"].map(usage(from:))
        message.responseMetadata = metadata(id: json["id"], model: json["model"], stopReason: json["stop_reason"])
        return message
    }

    /// Usage as LangChain counts it: input tokens include the prompt-cache reads and writes, which the API reports
    /// apart.
    static func usage(from json: JSONValue) throws -> Usage {
        let input = try json.tokenCount("input_tokens"), output = try json.tokenCount("output_tokens")
        let read = try json.tokenCount("cache_read_input_tokens")
        let written = try json.tokenCount("cache_creation_input_tokens")
        return Usage(
            inputTokens: input.addingSaturating(read).addingSaturating(written), outputTokens: output,
            cachedInputTokens: read, cacheCreationInputTokens: written)
    }

    /// Response metadata under LangChain's names.
    static func metadata(id: JSONValue?, model: JSONValue?, stopReason: JSONValue?) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        if let id = id?.stringValue { fields["id"] = .string(id) }
        if let model = model?.stringValue { fields["model_name"] = .string(model) }
        if let reason = stopReason?.stringValue { fields["finish_reason"] = .string(reason) }
        return fields
    }
}
