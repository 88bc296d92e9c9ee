public import Catena

/// What an MCP tool call answered: its content (text, and images as data URLs), its structured content, and
/// whether the tool reported an error.
public struct MCPToolResult: Sendable, Hashable {
    /// The content, in order: text parts, and images as `data:` URL parts.
    public var content: [ContentPart]
    /// The structured content, when the tool gave some.
    public var structuredContent: JSONValue?
    /// Whether the tool reported an error (its content says what).
    public var isError: Bool

    /// Creates a result.
    public init(content: [ContentPart], structuredContent: JSONValue? = nil, isError: Bool = false) {
        self.content = content
        self.structuredContent = structuredContent
        self.isError = isError
    }

    /// The text the model is given: the text parts, one per line, or the structured content's JSON when there is
    /// no text; images and other content are named, not inlined.
    public var text: String {
        let texts = content.compactMap(\.text)
        if texts.isEmpty, let structuredContent { return structuredContent.jsonString }
        let others = content.count - texts.count
        return (texts + (others > 0 ? ["[\(others) image part(s)]"] : [])).joined(separator: "\n")
    }

    /// The result a server sent (`tools/call`'s), read leniently: content of kinds Catena does not know is left out.
    package init(json: JSONValue) {
        self.init(
            content: (json["content"]?.arrayValue ?? []).compactMap(MCPContent.part),
            structuredContent: json["structuredContent"].flatMap { $0.isNull ? nil : $0 },
            isError: json["isError"]?.boolValue ?? false)
    }
}

/// How far a tool call has come, as its server reports it (`notifications/progress`).
public struct MCPProgress: Sendable, Hashable {
    /// The progress so far (it only grows).
    public var progress: Double
    /// The total, when the server knows it.
    public var total: Double?
    /// What the server says it is doing.
    public var message: String?

    /// The progress as a custom event's data: `progress`, and `total` and `message` when given.
    public var eventData: JSONValue {
        var data: [String: JSONValue] = ["progress": .double(progress)]
        if let total { data["total"] = .double(total) }
        if let message { data["message"] = .string(message) }
        return .object(data)
    }
}
