public import Catena
package import MCP

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

    /// The SDK's result, as Catena reads it.
    package init(_ result: CallTool.Result) {
        self.init(
            content: result.content.compactMap(Self.part),
            structuredContent: result.structuredContent.map(MCPValues.json),
            isError: result.isError ?? false)
    }

    private static func part(_ content: MCP.Tool.Content) -> ContentPart? {
        switch content {
        case .text(let text, _, _): .text(text)
        case .image(let data, let mimeType, _, _): .imageURL("data:\(mimeType);base64,\(data)")
        case .resource(let resource, _, _): resource.text.map(ContentPart.text)
        case .resourceLink(let uri, let name, _, _, _, _): .text("[\(name)](\(uri))")
        case .audio: nil
        }
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
