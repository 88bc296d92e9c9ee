import Catena

/// The JSON body of a Messages request: model, max tokens, system prompt, messages as content blocks, tools, tool
/// choice, sampling settings, stop sequences and the provider-specific fields, in that order.
struct AnthropicRequestBody {
    let bytes: [UInt8]

    /// - Throws: ``CatenaError`` for what the Messages API cannot express (a required response format, a tool call
    ///   whose arguments are not JSON).
    init(_ request: ChatRequest, defaultMaxTokens: Int, stream: Bool) throws {
        if request.responseFormat != nil {
            throw CatenaError(
                .invalidInput,
                "Anthropic's Messages API has no response format: describe the JSON in the prompt, or bind a tool")
        }
        let parameters = request.parameters
        var members: [(String, JSONValue)] = [
            ("model", .string(request.model)), ("max_tokens", .int(parameters.maxTokens ?? defaultMaxTokens)),
        ]
        let system = request.messages.filter { $0.role == .system }.map(\.text)
        if !system.isEmpty { members.append(("system", .string(system.joined(separator: "\n\n")))) }
        members.append(("messages", .array(try Self.messages(request.messages))))
        if !request.tools.isEmpty {
            members.append(
                (
                    "tools",
                    .array(
                        request.tools.map {
                            [
                                "name": .string($0.name), "description": .string($0.description),
                                "input_schema": $0.parameters,
                            ]
                        })
                ))
        }
        if let choice = request.toolChoice { members.append(("tool_choice", Self.toolChoice(choice))) }
        if let temperature = parameters.temperature { members.append(("temperature", .double(temperature))) }
        if let topP = parameters.topP { members.append(("top_p", .double(topP))) }
        if let topK = parameters.topK { members.append(("top_k", .int(topK))) }
        if let stop = parameters.stop, !stop.isEmpty {
            members.append(("stop_sequences", .array(stop.map { .string($0) })))
        }
        if stream { members.append(("stream", true)) }
        members.removeAll { parameters.extra[$0.0] != nil }
        members += parameters.extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        bytes = JSONValue.serializedObject(members)
    }

    /// The conversation without its system messages: tool results become `tool_result` blocks of a user turn
    /// (consecutive results share one), tool calls become `tool_use` blocks.
    static func messages(_ messages: [Message]) throws -> [JSONValue] {
        var turns: [JSONValue] = []
        var pendingResults: [JSONValue] = []
        func flushResults() {
            if !pendingResults.isEmpty { turns.append(["role": "user", "content": .array(pendingResults)]) }
            pendingResults = []
        }
        for message in messages where message.role != .system {
            if message.role == .tool {
                pendingResults.append([
                    "type": "tool_result", "tool_use_id": .string(message.toolCallID ?? ""),
                    "content": message.content.hasImages
                        ? .array(contentBlocks(message.content)) : .string(message.text),
                ])
                continue
            }
            flushResults()
            var blocks = contentBlocks(message.content)
            for call in message.toolCalls {
                blocks.append([
                    "type": "tool_use", "id": .string(call.id ?? ""), "name": .string(call.name),
                    "input": try call.parsedArguments(),
                ])
            }
            turns.append(["role": message.role == .assistant ? "assistant" : "user", "content": .array(blocks)])
        }
        flushResults()
        return turns
    }

    /// Text and image blocks of a message's content (no empty text block).
    static func contentBlocks(_ content: MessageContent) -> [JSONValue] {
        switch content {
        case .text(let text):
            return text.isEmpty ? [] : [["type": "text", "text": .string(text)]]
        case .parts(let parts):
            return parts.map { part in
                switch part {
                case .text(let text): ["type": "text", "text": .string(text)]
                case .imageURL(let url, _): ["type": "image", "source": ["type": "url", "url": .string(url)]]
                }
            }
        }
    }

    /// The `tool_choice` object.
    static func toolChoice(_ choice: ToolChoice) -> JSONValue {
        switch choice {
        case .auto: ["type": "auto"]
        case .required: ["type": "any"]
        case .none: ["type": "none"]
        case .function(let name): ["type": "tool", "name": .string(name)]
        }
    }
}
