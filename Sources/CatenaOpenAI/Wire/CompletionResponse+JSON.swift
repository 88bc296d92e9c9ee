public import Catena

// Completions and stream chunks are read straight from their bytes by hand: every response and every streamed
// token goes through here, and building a tree or going through `Codable` costs a visible share of a loopback request.
// `Decodable` reads through the same code, so both ways accept exactly the same input.

extension CompletionResponse: JSONReadable {
    /// Reads a response or stream chunk from JSON; `choices` is required, unknown members are ignored.
    package static func read(from parser: inout JSONParser) throws -> CompletionResponse? {
        var response = CompletionResponse(choices: [])
        var choices: [Choice]?
        let present = try parser.readObject { parser, name in
            switch name {
            case "id": response.id = try parser.readString()
            case "model": response.model = try parser.readString()
            case "created": response.created = try parser.readInt()
            case "choices": choices = try parser.readArray(of: Choice.self)
            case "usage": response.usage = try WireUsage.read(from: &parser)
            case "system_fingerprint": response.systemFingerprint = try parser.readString()
            case "object": response.object = try parser.readString()
            default: try parser.skipValue()
            }
        }
        guard present else { return nil }
        guard let choices else { throw DecodingError.missingMember("choices") }
        response.choices = choices
        return response
    }

    /// Reads a response or stream chunk from its parsed JSON.
    /// - Throws: `DecodingError` naming the member that is missing or of the wrong type.
    public init(json: JSONValue) throws { try self.init(readingJSON: json.serializedBytes) }

    /// Decodes a response through ``init(json:)``.
    public init(from decoder: any Decoder) throws { try self.init(json: JSONValue(from: decoder)) }
}

extension CompletionResponse.Choice: JSONReadable {
    /// Reads a candidate from JSON.
    package static func read(from parser: inout JSONParser) throws -> CompletionResponse.Choice? {
        var choice = CompletionResponse.Choice(index: nil)
        let present = try parser.readObject { parser, name in
            switch name {
            case "index": choice.index = try parser.readInt()
            case "message": choice.message = try WireMessage.read(from: &parser)
            case "delta": choice.delta = try WireMessage.read(from: &parser)
            case "text": choice.text = try parser.readString()
            case "finish_reason": choice.finishReason = try parser.readString()
            case "logprobs": choice.logprobs = try parser.readValue()
            default: try parser.skipValue()
            }
        }
        return present ? choice : nil
    }

    /// Reads a candidate from its parsed JSON.
    public init(json: JSONValue) throws { try self.init(readingJSON: json.serializedBytes) }

    /// Decodes a candidate through ``init(json:)``.
    public init(from decoder: any Decoder) throws { try self.init(json: JSONValue(from: decoder)) }
}

extension WireMessage: JSONReadable {
    /// Reads a message or delta from JSON.
    package static func read(from parser: inout JSONParser) throws -> WireMessage? {
        var message = WireMessage()
        let present = try parser.readObject { parser, name in
            switch name {
            case "role": message.role = try parser.readString()
            case "content": message.content = try parser.readString()
            case "reasoning_content": message.reasoningContent = try parser.readString()
            case "tool_calls": message.toolCalls = try parser.readArray(of: WireToolCall.self)
            default: try parser.skipValue()
            }
        }
        return present ? message : nil
    }

    /// Reads a message or delta from its parsed JSON.
    public init(json: JSONValue) throws { try self.init(readingJSON: json.serializedBytes) }

    /// Decodes a message through ``init(json:)``.
    public init(from decoder: any Decoder) throws { try self.init(json: JSONValue(from: decoder)) }
}

extension WireToolCall: JSONReadable {
    /// Reads a tool call or fragment from JSON.
    package static func read(from parser: inout JSONParser) throws -> WireToolCall? {
        var call = WireToolCall()
        let present = try parser.readObject { parser, name in
            switch name {
            case "index": call.index = try parser.readInt()
            case "id": call.id = try parser.readString()
            case "type": call.type = try parser.readString()
            case "function":
                var function = Function()
                let present = try parser.readObject { parser, name in
                    switch name {
                    case "name": function.name = try parser.readString()
                    case "arguments": function.arguments = try parser.readString()
                    default: try parser.skipValue()
                    }
                }
                call.function = present ? function : nil
            default: try parser.skipValue()
            }
        }
        return present ? call : nil
    }

    /// Reads a tool call or fragment from its parsed JSON.
    public init(json: JSONValue) throws { try self.init(readingJSON: json.serializedBytes) }

    /// Decodes a tool call through ``init(json:)``.
    public init(from decoder: any Decoder) throws { try self.init(json: JSONValue(from: decoder)) }
}

extension WireUsage: JSONReadable {
    /// Reads usage from JSON; prompt and completion tokens are required, and no count may be negative.
    package static func read(from parser: inout JSONParser) throws -> WireUsage? {
        var prompt: Int?, completion: Int?, total: Int?
        var details: PromptTokensDetails?
        var reasoning: Int?
        let present = try parser.readObject { parser, name in
            switch name {
            case "prompt_tokens": prompt = try parser.readCount()
            case "completion_tokens": completion = try parser.readCount()
            case "total_tokens": total = try parser.readCount()
            case "prompt_tokens_details":
                var cached: Int?
                let present = try parser.readObject { parser, name in
                    switch name {
                    case "cached_tokens": cached = try parser.readCount()
                    default: try parser.skipValue()
                    }
                }
                details = present ? PromptTokensDetails(cachedTokens: cached) : nil
            case "completion_tokens_details":
                _ = try parser.readObject { parser, name in
                    switch name {
                    case "reasoning_tokens": reasoning = try parser.readCount()
                    default: try parser.skipValue()
                    }
                }
            default: try parser.skipValue()
            }
        }
        guard present else { return nil }
        guard let prompt else { throw DecodingError.missingMember("prompt_tokens") }
        guard let completion else { throw DecodingError.missingMember("completion_tokens") }
        var usage = WireUsage(
            promptTokens: prompt, completionTokens: completion, totalTokens: total, reasoningTokens: reasoning)
        usage.promptTokensDetails = details
        return usage
    }

    /// Reads usage from its parsed JSON.
    public init(json: JSONValue) throws { try self.init(readingJSON: json.serializedBytes) }

    /// Decodes usage through ``init(json:)``.
    public init(from decoder: any Decoder) throws { try self.init(json: JSONValue(from: decoder)) }
}

extension JSONParser {
    /// An array of `T` (`nil` for `null`; a `null` element is a mismatch). Here rather than in `Catena` so that it
    /// is specialized for each wire type.
    fileprivate mutating func readArray<T: JSONReadable>(of type: T.Type) throws -> [T]? {
        var elements: [T] = []
        let present = try readArray { parser, _ in
            guard let value = try T.read(from: &parser) else { throw DecodingError.mismatch(T.self, found: .null) }
            elements.append(value)
        }
        return present ? elements : nil
    }
}
