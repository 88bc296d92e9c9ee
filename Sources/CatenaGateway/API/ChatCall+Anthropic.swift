import Catena
import CatenaCompletion
import CatenaOpenAI

extension ChatCall {
    /// Reads an Anthropic Messages request body (`POST /v1/messages`), for any provider behind: the system prompt,
    /// the turns with their content blocks (text, images, `tool_use`, `tool_result`), the tools and the sampling
    /// parameters.
    /// A request to count its tokens (`/v1/messages/count_tokens`) needs no `max_tokens`.
    /// - Throws: ``GatewayError`` (400) naming the field at fault.
    init(anthropicBody body: [UInt8], countingTokens: Bool = false) throws(GatewayError) {
        let fields = try RequestFields(body: body)
        try fields.refuseUnknown([
            "model", "messages", "system", "max_tokens", "stop_sequences", "temperature", "top_p", "top_k", "stream",
            "tools", "tool_choice", "metadata",
        ])
        model = try fields.required("model", \.stringValue, "a string")
        let maxTokens =
            countingTokens
            ? try fields.optional("max_tokens", \.intValue, "an integer")
            : try fields.required("max_tokens", \.intValue, "an integer")
        try RequestFields.checkMaxTokens(maxTokens, field: "max_tokens")
        var messages: [Message] = []
        switch fields.value("system") {
        case nil: break
        case .string(let text)?: messages.append(.system(text))
        case .array(let blocks)?:
            messages.append(.system(blocks.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")))
        default: throw .invalidRequest("'system' must be a string or an array of text blocks", param: "system")
        }
        let turns = try fields.required("messages", \.arrayValue, "an array of messages")
        guard !turns.isEmpty else {
            throw .invalidRequest("'messages' must hold at least one message", param: "messages")
        }
        for (index, turn) in turns.enumerated() {
            messages += try Self.messages(of: turn, param: "messages[\(index)]")
        }
        self.messages = messages
        stream = try fields.optional("stream", \.boolValue, "true or false") ?? false
        var parameters = SamplingParameters(
            temperature: try fields.optional("temperature", \.doubleValue, "a number"), maxTokens: maxTokens,
            topP: try fields.optional("top_p", \.doubleValue, "a number"), n: nil, presencePenalty: nil,
            frequencyPenalty: nil)
        parameters.topK = try fields.optional("top_k", \.intValue, "an integer")
        parameters.stop = try fields.optional(
            "stop_sequences", { $0.arrayValue?.compactMap(\.stringValue) }, "an array of strings")
        options = CompletionOptions(parameters: parameters)
        options.tools = try (fields.optional("tools", \.arrayValue, "an array of tools") ?? []).enumerated().map {
            index, tool throws(GatewayError) in
            guard let name = tool["name"]?.stringValue else {
                throw .invalidRequest("'tools[\(index)].name' must be a string", param: "tools[\(index)].name")
            }
            return ToolDefinition(
                name: name, description: tool["description"]?.stringValue ?? "",
                parameters: tool["input_schema"] ?? ["type": "object", "properties": [:]])
        }
        options.toolChoice = try fields.value("tool_choice").map { choice throws(GatewayError) in
            switch choice["type"]?.stringValue {
            case "auto": return .auto
            case "any": return .required
            case "none": return ToolChoice.none
            case "tool":
                guard let name = choice["name"]?.stringValue else {
                    throw .invalidRequest("'tool_choice.name' is required with type tool", param: "tool_choice")
                }
                return .function(name)
            default: throw .invalidRequest("'tool_choice.type' must be auto, any, tool or none", param: "tool_choice")
            }
        }
    }

    /// The messages one turn stands for: its text and images, its tool calls, and each tool result as a tool message.
    private static func messages(of turn: JSONValue, param: String) throws(GatewayError) -> [Message] {
        guard let roleName = turn["role"]?.stringValue, let role = Message.Role(rawValue: roleName),
            role == .user || role == .assistant
        else {
            throw .invalidRequest("'\(param).role' must be user or assistant", param: "\(param).role")
        }
        if let text = turn["content"]?.stringValue { return [Message(role: role, content: .text(text))] }
        guard let blocks = turn["content"]?.arrayValue else {
            throw .invalidRequest(
                "'\(param).content' must be a string or an array of blocks", param: "\(param).content")
        }
        var parts: [ContentPart] = []
        var calls: [ToolCall] = []
        var results: [Message] = []
        for (index, block) in blocks.enumerated() {
            let place = "\(param).content[\(index)]"
            switch block["type"]?.stringValue {
            case "text":
                parts.append(.text(block["text"]?.stringValue ?? ""))
            case "image":
                let source = block["source"]
                let url =
                    source?["type"] == "url"
                    ? source?["url"]?.stringValue
                    : source.flatMap { source in
                        source["data"]?.stringValue.map {
                            "data:\(source["media_type"]?.stringValue ?? "image/png");base64,\($0)"
                        }
                    }
                guard let url else {
                    throw .invalidRequest("'\(place).source' must be a base64 or url image source", param: place)
                }
                parts.append(.imageURL(url))
            case "tool_use":
                guard let id = block["id"]?.stringValue, let name = block["name"]?.stringValue else {
                    throw .invalidRequest("'\(place)' needs an id and a name", param: place)
                }
                calls.append(ToolCall(id: id, name: name, arguments: (block["input"] ?? [:]).jsonString))
            case "tool_result":
                guard let id = block["tool_use_id"]?.stringValue else {
                    throw .invalidRequest("'\(place).tool_use_id' must be a string", param: place)
                }
                let content = block["content"]
                let text =
                    content?.stringValue
                    ?? content?.arrayValue?.compactMap { $0["text"]?.stringValue }.joined(separator: "\n") ?? ""
                results.append(.tool(text, callID: id))
            default:
                throw .invalidRequest(
                    "'\(place).type' must be text, image, tool_use or tool_result", param: "\(place).type")
            }
        }
        guard !parts.isEmpty || !calls.isEmpty else { return results }
        let content: MessageContent =
            if parts.count == 1, let text = parts[0].text { .text(text) } else if parts.isEmpty { .text("") } else {
                .parts(parts)
            }
        return results + [Message(role: role, content: content, toolCalls: calls)]
    }
}
