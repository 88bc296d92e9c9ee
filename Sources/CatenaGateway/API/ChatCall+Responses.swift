import Catena
import CatenaCompletion
import CatenaOpenAI

extension ChatCall {
    /// Reads an OpenAI Responses request body (`POST /v1/responses`), for any provider behind: `instructions` as the
    /// system message, `input` (a string, or items: messages with text and image parts, `function_call` and
    /// `function_call_output`), the function tools, `tool_choice`, `text.format` and the sampling parameters. The
    /// gateway keeps no responses: `previous_response_id` is refused (send the conversation in `input`).
    /// - Throws: ``GatewayError`` (400) naming the field at fault.
    init(responsesBody body: [UInt8]) throws(GatewayError) {
        let fields = try RequestFields(body: body)
        try fields.refuseUnknown([
            "model", "input", "instructions", "stream", "max_output_tokens", "temperature", "top_p", "tools",
            "tool_choice",
            "text", "metadata", "user", "store", "parallel_tool_calls", "previous_response_id", "reasoning",
            "truncation",
        ])
        if fields.value("previous_response_id") != nil {
            throw .invalidRequest(
                "'previous_response_id' is not supported: the gateway keeps no responses; send the conversation in 'input'",
                param: "previous_response_id")
        }
        model = try fields.required("model", \.stringValue, "a string")
        var messages: [Message] = []
        if let instructions = try fields.optional("instructions", \.stringValue, "a string") {
            messages.append(.system(instructions))
        }
        switch fields.value("input") {
        case .string(let text)?: messages.append(.user(text))
        case .array(let items)? where !items.isEmpty:
            for (index, item) in items.enumerated() { try Self.add(item, param: "input[\(index)]", to: &messages) }
        default: throw .invalidRequest("'input' must be a string or a non-empty array of items", param: "input")
        }
        self.messages = messages
        stream = try fields.optional("stream", \.boolValue, "true or false") ?? false
        let maxTokens = try fields.optional("max_output_tokens", \.intValue, "an integer")
        try RequestFields.checkMaxTokens(maxTokens, field: "max_output_tokens")
        options = CompletionOptions(
            parameters: SamplingParameters(
                temperature: try fields.optional("temperature", \.doubleValue, "a number"), maxTokens: maxTokens,
                topP: try fields.optional("top_p", \.doubleValue, "a number"), n: nil, presencePenalty: nil,
                frequencyPenalty: nil))
        options.tools = try (fields.optional("tools", \.arrayValue, "an array of tools") ?? []).enumerated().map {
            index, tool throws(GatewayError) in
            guard tool["type"]?.stringValue == "function", let name = tool["name"]?.stringValue else {
                throw .invalidRequest("'tools[\(index)]' must be a function tool with a name", param: "tools[\(index)]")
            }
            return ToolDefinition(
                name: name, description: tool["description"]?.stringValue ?? "",
                parameters: tool["parameters"] ?? ["type": "object", "properties": [:]])
        }
        options.toolChoice = try fields.value("tool_choice").map { choice throws(GatewayError) in
            switch choice {
            case "auto": return .auto
            case "required": return .required
            case "none": return ToolChoice.none
            default:
                guard choice["type"]?.stringValue == "function", let name = choice["name"]?.stringValue else {
                    throw .invalidRequest(
                        "'tool_choice' must be auto, required, none or {\"type\": \"function\", \"name\": …}",
                        param: "tool_choice")
                }
                return .function(name)
            }
        }
        options.responseFormat = try fields.value("text")?["format"].flatMap { format throws(GatewayError) in
            switch format["type"]?.stringValue {
            case "text": return nil
            case "json_object": return .jsonObject
            case "json_schema":
                guard let name = format["name"]?.stringValue, let schema = format["schema"] else {
                    throw .invalidRequest("'text.format' needs a name and a schema", param: "text.format")
                }
                return .jsonSchema(name: name, schema: schema, strict: format["strict"]?.boolValue ?? false)
            default:
                throw .invalidRequest(
                    "'text.format.type' must be text, json_object or json_schema", param: "text.format")
            }
        }
    }

    /// Adds the message an input item stands for: a message, a function call (joined to the assistant message
    /// before it when that one only calls functions) or a function call's output; reasoning items are skipped.
    private static func add(_ item: JSONValue, param: String, to messages: inout [Message]) throws(GatewayError) {
        switch item["type"]?.stringValue ?? "message" {
        case "message":
            guard let roleName = item["role"]?.stringValue,
                let role = roleName == "developer" ? .system : Message.Role(rawValue: roleName), role != .tool
            else {
                throw .invalidRequest(
                    "'\(param).role' must be user, assistant, system or developer", param: "\(param).role")
            }
            messages.append(Message(role: role, content: try content(of: item["content"], param: "\(param).content")))
        case "function_call":
            guard let name = item["name"]?.stringValue, let callID = item["call_id"]?.stringValue else {
                throw .invalidRequest("'\(param)' needs a call_id and a name", param: param)
            }
            let call = ToolCall(id: callID, name: name, arguments: item["arguments"]?.stringValue ?? "{}")
            if let last = messages.last, last.role == .assistant, last.text.isEmpty, !last.toolCalls.isEmpty {
                messages[messages.count - 1].toolCalls.append(call)
            } else {
                messages.append(Message(role: .assistant, content: .text(""), toolCalls: [call]))
            }
        case "function_call_output":
            guard let callID = item["call_id"]?.stringValue else {
                throw .invalidRequest("'\(param).call_id' must be a string", param: "\(param).call_id")
            }
            messages.append(.tool(item["output"]?.stringValue ?? item["output"]?.jsonString ?? "", callID: callID))
        case "reasoning":
            break
        default:
            throw .invalidRequest(
                "'\(param).type' must be message, function_call, function_call_output or reasoning",
                param: "\(param).type")
        }
    }

    /// A message item's content: a string, or parts (`input_text`, `output_text`, `input_image`).
    private static func content(of value: JSONValue?, param: String) throws(GatewayError) -> MessageContent {
        if let text = value?.stringValue { return .text(text) }
        guard let parts = value?.arrayValue else {
            throw .invalidRequest("'\(param)' must be a string or an array of parts", param: param)
        }
        let converted = try parts.enumerated().map { index, part throws(GatewayError) -> ContentPart in
            switch part["type"]?.stringValue {
            case "input_text", "output_text", "text":
                return .text(part["text"]?.stringValue ?? "")
            case "input_image":
                guard let url = part["image_url"]?.stringValue else {
                    throw .invalidRequest(
                        "'\(param)[\(index)].image_url' must be a string", param: "\(param)[\(index)].image_url")
                }
                return .imageURL(url, detail: part["detail"]?.stringValue)
            default:
                throw .invalidRequest(
                    "'\(param)[\(index)].type' must be input_text, output_text or input_image",
                    param: "\(param)[\(index)].type")
            }
        }
        if converted.count == 1, let text = converted[0].text { return .text(text) }
        return .parts(converted)
    }
}
