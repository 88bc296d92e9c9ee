import Catena

/// Reads the Responses API's answers.
enum ResponsesOutput {
    /// The assistant message of a whole response: the text of its message items, its function calls as tool calls,
    /// usage, and `id`, `model_name` and `finish_reason` as response metadata.
    /// - Throws: ``ModelServerError/decoding(payload:reason:)`` when the response has no output, or
    ///   ``ModelServerError/streamError(message:)`` for a failed response.
    static func message(from json: JSONValue) throws -> Message {
        if json["status"]?.stringValue == "failed" {
            throw ModelServerError.streamError(
                message: json["error"]?["message"]?.stringValue ?? "the response failed")
        }
        guard let output = json["output"]?.arrayValue else {
            throw ModelServerError.decoding(payload: json.jsonString, reason: "expected a response with output items")
        }
        var message = Message.assistant("")
        var text = ""
        for item in output {
            switch item["type"]?.stringValue {
            case "message":
                for part in item["content"]?.arrayValue ?? [] where part["type"]?.stringValue == "output_text" {
                    text += part["text"]?.stringValue ?? ""
                }
            case "function_call":
                message.toolCalls.append(
                    ToolCall(
                        id: item["call_id"]?.stringValue, name: item["name"]?.stringValue ?? "",
                        arguments: item["arguments"]?.stringValue ?? ""))
            default: break  // reasoning summaries and built-in tool items are not part of the answer's text
            }
        }
        message.content = .text(text)
        message.id = json["id"]?.stringValue
        message.usage = try json["usage"].map(usage(from:))
        message.responseMetadata = metadata(of: json, calledTools: !message.toolCalls.isEmpty)
        return message
    }

    /// Usage with cached input and reasoning output tokens.
    static func usage(from json: JSONValue) throws -> Usage {
        Usage(
            inputTokens: try json.tokenCount("input_tokens"), outputTokens: try json.tokenCount("output_tokens"),
            totalTokens: json["total_tokens"] == nil ? nil : try json.tokenCount("total_tokens"),
            cachedInputTokens: try json["input_tokens_details"]?.tokenCount("cached_tokens") ?? 0,
            reasoningTokens: try json["output_tokens_details"]?.tokenCount("reasoning_tokens") ?? 0)
    }

    /// Response metadata under LangChain's names; the finish reason in Chat Completions' words (`stop`, `length`,
    /// `tool_calls`, `content_filter`).
    static func metadata(of json: JSONValue, calledTools: Bool) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        if let id = json["id"]?.stringValue { fields["id"] = .string(id) }
        if let model = json["model"]?.stringValue { fields["model_name"] = .string(model) }
        switch json["status"]?.stringValue {
        case "incomplete":
            let reason = json["incomplete_details"]?["reason"]?.stringValue
            fields["finish_reason"] = reason == "max_output_tokens" ? "length" : .string(reason ?? "incomplete")
        case "completed": fields["finish_reason"] = calledTools ? "tool_calls" : "stop"
        default: break
        }
        return fields
    }
}
