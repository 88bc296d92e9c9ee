import Catena

extension Message {
    /// The messages OpenAI's chat API is sent for this one: itself, except that a tool message with images (which
    /// the API takes only as text) is its text, then a user message with the images.
    var wireMessages: [JSONValue] {
        guard role == .tool, case .parts(let parts) = content, content.hasImages else { return [wireJSON] }
        var answer = self
        answer.content = .text(text)
        let images = parts.filter { $0.text == nil }
        let carrier = Message(
            role: .user, content: .parts([.text("The images tool call \(toolCallID ?? "") returned:")] + images))
        return [answer.wireJSON, carrier.wireJSON]
    }

    /// The message as OpenAI's chat API expects it (`tool_calls` with `function`, `tool_call_id`, content string
    /// or parts).
    var wireJSON: JSONValue {
        var object: [String: JSONValue] = ["role": .string(role.rawValue)]
        switch content {
        case .text(let text): object["content"] = .string(text)
        case .parts(let parts): object["content"] = (try? JSONValue(encoding: parts)) ?? .string(text)
        }
        if let name { object["name"] = .string(name) }
        if !toolCalls.isEmpty {
            object["tool_calls"] = .array(
                toolCalls.map { call in
                    [
                        "id": .string(call.id ?? ""), "type": "function",
                        "function": ["name": .string(call.name), "arguments": .string(call.arguments)],
                    ]
                })
        }
        if let toolCallID { object["tool_call_id"] = .string(toolCallID) }
        return .object(object)
    }
}

extension ToolChoice {
    /// The `tool_choice` field.
    var wireJSON: JSONValue {
        switch self {
        case .auto: "auto"
        case .required: "required"
        case .none: "none"
        case .function(let name): ["type": "function", "function": ["name": .string(name)]]
        }
    }
}

extension ResponseFormat {
    /// The `response_format` field.
    var wireJSON: JSONValue {
        switch self {
        case .jsonObject: ["type": "json_object"]
        case .jsonSchema(let name, let schema, let strict):
            ["type": "json_schema", "json_schema": ["name": .string(name), "schema": schema, "strict": .bool(strict)]]
        }
    }
}

extension ToolDefinition {
    /// The tool as the chat API's `tools` entry.
    var wireJSON: JSONValue {
        [
            "type": "function",
            "function": ["name": .string(name), "description": .string(description), "parameters": parameters],
        ]
    }
}
