// Wire-friendly JSON shapes: content is a string or an OpenAI-style list of parts; keys are snake_case.

extension Message {
    enum CodingKeys: String, CodingKey {
        case role, content, name, id
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
        case usage
        case responseMetadata = "response_metadata"
    }

    /// Decodes a message; absent optional fields take their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            role: try container.decode(Role.self, forKey: .role),
            content: try container.decodeIfPresent(MessageContent.self, forKey: .content) ?? .text(""),
            name: try container.decodeIfPresent(String.self, forKey: .name),
            id: try container.decodeIfPresent(String.self, forKey: .id),
            toolCalls: try container.decodeIfPresent([ToolCall].self, forKey: .toolCalls) ?? [],
            toolCallID: try container.decodeIfPresent(String.self, forKey: .toolCallID),
            usage: try container.decodeIfPresent(Usage.self, forKey: .usage),
            responseMetadata: try container.decodeIfPresent([String: JSONValue].self, forKey: .responseMetadata) ?? [:]
        )
    }

    /// Encodes a message, leaving out empty optional fields.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        try container.encode(content, forKey: .content)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(id, forKey: .id)
        if !toolCalls.isEmpty { try container.encode(toolCalls, forKey: .toolCalls) }
        try container.encodeIfPresent(toolCallID, forKey: .toolCallID)
        try container.encodeIfPresent(usage, forKey: .usage)
        if !responseMetadata.isEmpty { try container.encode(responseMetadata, forKey: .responseMetadata) }
    }
}

extension MessageContent {
    /// Decodes a string or a list of parts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .parts(try container.decode([ContentPart].self))
        }
    }

    /// Encodes text as a string and parts as a list.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .parts(let parts): try container.encode(parts)
        }
    }
}

extension ContentPart {
    private enum CodingKeys: String, CodingKey { case type, text, imageURL = "image_url" }
    private struct ImageURL: Codable { var url: String; var detail: String? }

    /// Decodes `{"type": "text", "text": …}` or `{"type": "image_url", "image_url": {"url": …}}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "text":
            self = .text(try container.decode(String.self, forKey: .text))
        case "image_url":
            let image = try container.decode(ImageURL.self, forKey: .imageURL)
            self = .imageURL(image.url, detail: image.detail)
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown content part type '\(other)'")
        }
    }

    /// Encodes the OpenAI-style part object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let text):
            try container.encode("text", forKey: .type)
            try container.encode(text, forKey: .text)
        case .imageURL(let url, let detail):
            try container.encode("image_url", forKey: .type)
            try container.encode(ImageURL(url: url, detail: detail), forKey: .imageURL)
        }
    }
}

extension PromptValue {
    /// Decodes a string (text prompt) or a list of messages (chat prompt).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .messages(try container.decode([Message].self))
        }
    }

    /// Encodes a text prompt as a string and a chat prompt as a list of messages.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .messages(let messages): try container.encode(messages)
        }
    }
}
