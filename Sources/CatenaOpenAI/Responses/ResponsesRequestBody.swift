import Catena

/// The JSON body of a Responses request: model, input items, tools, tool choice, text format, sampling settings and
/// the provider-specific fields, in that order.
struct ResponsesRequestBody {
    let bytes: [UInt8]

    init(_ request: ChatRequest, stream: Bool) {
        let parameters = request.parameters
        var members: [(String, JSONValue)] = [
            ("model", .string(request.model)), ("input", .array(Self.items(request.messages))),
        ]
        if !request.tools.isEmpty {
            members.append(
                (
                    "tools",
                    .array(
                        request.tools.map {
                            [
                                "type": "function", "name": .string($0.name), "description": .string($0.description),
                                "parameters": $0.parameters,
                            ]
                        })
                ))
        }
        if let choice = request.toolChoice { members.append(("tool_choice", Self.toolChoice(choice))) }
        if let format = request.responseFormat { members.append(("text", ["format": Self.format(format)])) }
        if let maxTokens = parameters.maxTokens { members.append(("max_output_tokens", .int(maxTokens))) }
        if let temperature = parameters.temperature { members.append(("temperature", .double(temperature))) }
        if let topP = parameters.topP { members.append(("top_p", .double(topP))) }
        if stream { members.append(("stream", true)) }
        members.removeAll { parameters.extra[$0.0] != nil }
        members += parameters.extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        bytes = JSONValue.serializedObject(members)
    }

    /// The conversation as input items: messages by role, an assistant's tool calls as `function_call` items and
    /// tool messages as `function_call_output` items.
    static func items(_ messages: [Message]) -> [JSONValue] {
        var items: [JSONValue] = []
        for message in messages {
            switch message.role {
            case .tool:
                items.append([
                    "type": "function_call_output", "call_id": .string(message.toolCallID ?? ""),
                    "output": content(of: message),
                ])
            default:
                if !message.text.isEmpty || message.toolCalls.isEmpty {
                    items.append(["role": .string(message.role.rawValue), "content": content(of: message)])
                }
                for call in message.toolCalls {
                    items.append([
                        "type": "function_call", "call_id": .string(call.id ?? ""), "name": .string(call.name),
                        "arguments": .string(call.arguments),
                    ])
                }
            }
        }
        return items
    }

    /// A message's content: its text, or its parts as input parts.
    static func content(of message: Message) -> JSONValue {
        guard case .parts(let parts) = message.content else { return .string(message.text) }
        let textType: JSONValue = message.role == .assistant ? "output_text" : "input_text"
        return .array(
            parts.map { part in
                switch part {
                case .text(let text): ["type": textType, "text": .string(text)]
                case .imageURL(let url, let detail):
                    ["type": "input_image", "image_url": .string(url), "detail": .string(detail ?? "auto")]
                }
            })
    }

    /// The `tool_choice` field.
    static func toolChoice(_ choice: ToolChoice) -> JSONValue {
        switch choice {
        case .auto: "auto"
        case .required: "required"
        case .none: "none"
        case .function(let name): ["type": "function", "name": .string(name)]
        }
    }

    /// The `text.format` object.
    static func format(_ format: ResponseFormat) -> JSONValue {
        switch format {
        case .jsonObject: ["type": "json_object"]
        case .jsonSchema(let name, let schema, let strict):
            ["type": "json_schema", "name": .string(name), "schema": schema, "strict": .bool(strict)]
        }
    }
}
