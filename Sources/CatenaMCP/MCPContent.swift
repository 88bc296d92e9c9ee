import Catena

/// MCP's content blocks (in tool results and prompt messages) as Catena's content.
enum MCPContent {
    /// A content block as a part: text; an image as a `data:` URL; an embedded text resource as its text; a
    /// resource link as a Markdown link. Audio, blobs and unknown kinds have no part.
    static func part(_ block: JSONValue) -> ContentPart? {
        switch block["type"]?.stringValue {
        case "text":
            return block["text"]?.stringValue.map(ContentPart.text)
        case "image":
            guard let data = block["data"]?.stringValue else { return nil }
            return .imageURL("data:\(block["mimeType"]?.stringValue ?? "image/png");base64,\(data)")
        case "resource":
            return block["resource"]?["text"]?.stringValue.map(ContentPart.text)
        case "resource_link":
            guard let uri = block["uri"]?.stringValue else { return nil }
            return .text("[\(block["name"]?.stringValue ?? uri)](\(uri))")
        default:
            return nil
        }
    }

    /// A prompt's message (`{"role": …, "content": {…}}`) as a Catena message: text, or a part list when it is an
    /// image.
    static func message(_ json: JSONValue) -> Message? {
        guard let role = json["role"]?.stringValue.flatMap(Message.Role.init(rawValue:)),
            let part = json["content"].flatMap(part)
        else { return nil }
        let content: MessageContent = if case .text(let text) = part { .text(text) } else { .parts([part]) }
        return Message(role: role, content: content)
    }
}
