public import Catena

// Completions and stream chunks are read from their parsed JSON by hand: every response and every streamed token
// goes through here, and `Codable`'s per-member cost was a tenth of a loopback request. `Decodable` goes through
// the same readers, so both ways accept exactly the same input.

extension CompletionResponse {
    /// Reads a response or stream chunk from its parsed JSON; `choices` is required, unknown members are ignored.
    /// - Throws: `DecodingError` naming the member that is missing or of the wrong type.
    public init(json: JSONValue) throws {
        let fields = try JSONFields(json)
        self.init(
            id: try fields.string("id"), model: try fields.string("model"), created: try fields.int("created"),
            choices: try fields.required("choices") { try JSONFields.array($0, Choice.init(json:)) },
            usage: try fields.read("usage", WireUsage.init(json:)),
            systemFingerprint: try fields.string("system_fingerprint"), object: try fields.string("object"))
    }

    /// Decodes a response through ``init(json:)``.
    public init(from decoder: any Decoder) throws { try self.init(json: JSONValue(from: decoder)) }
}

extension CompletionResponse.Choice {
    /// Reads a candidate from its parsed JSON.
    public init(json: JSONValue) throws {
        let fields = try JSONFields(json)
        self.init(
            index: try fields.int("index"), message: try fields.read("message", WireMessage.init(json:)),
            delta: try fields.read("delta", WireMessage.init(json:)), text: try fields.string("text"),
            finishReason: try fields.string("finish_reason"), logprobs: fields.value("logprobs"))
    }

    /// Decodes a candidate through ``init(json:)``.
    public init(from decoder: any Decoder) throws { try self.init(json: JSONValue(from: decoder)) }
}

extension WireMessage {
    /// Reads a message or delta from its parsed JSON.
    public init(json: JSONValue) throws {
        let fields = try JSONFields(json)
        self.init(
            role: try fields.string("role"), content: try fields.string("content"),
            reasoningContent: try fields.string("reasoning_content"),
            toolCalls: try fields.array("tool_calls", WireToolCall.init(json:)))
    }

    /// Decodes a message through ``init(json:)``.
    public init(from decoder: any Decoder) throws { try self.init(json: JSONValue(from: decoder)) }
}

extension WireToolCall {
    /// Reads a tool call or fragment from its parsed JSON.
    public init(json: JSONValue) throws {
        let fields = try JSONFields(json)
        self.init(
            index: try fields.int("index"), id: try fields.string("id"), type: try fields.string("type"),
            function: try fields.read("function") { value in
                let function = try JSONFields(value)
                return Function(name: try function.string("name"), arguments: try function.string("arguments"))
            })
    }

    /// Decodes a tool call through ``init(json:)``.
    public init(from decoder: any Decoder) throws { try self.init(json: JSONValue(from: decoder)) }
}

extension WireUsage {
    /// Reads usage from its parsed JSON; prompt and completion tokens are required.
    public init(json: JSONValue) throws {
        let fields = try JSONFields(json)
        self.init(
            promptTokens: try fields.required("prompt_tokens", JSONFields.int),
            completionTokens: try fields.required("completion_tokens", JSONFields.int),
            totalTokens: try fields.int("total_tokens"),
            cachedTokens: nil)
        promptTokensDetails = try fields.read("prompt_tokens_details") {
            PromptTokensDetails(cachedTokens: try JSONFields($0).int("cached_tokens"))
        }
    }

    /// Decodes usage through ``init(json:)``.
    public init(from decoder: any Decoder) throws { try self.init(json: JSONValue(from: decoder)) }
}
