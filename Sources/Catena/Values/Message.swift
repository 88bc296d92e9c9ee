/// One message of a conversation: system, user, assistant or tool.
///
/// A streamed assistant reply arrives as several partial messages that merge with `+`.
///
/// ```swift
/// let prompt: [Message] = [.system("You are terse."), .user("Name a prime.")]
/// ```
public struct Message: Sendable, Hashable, Codable {
    /// Who speaks.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        /// Instructions for the model.
        case system
        /// The human side.
        case user
        /// The model's side.
        case assistant
        /// The result of a tool call.
        case tool
    }

    /// Who speaks.
    public var role: Role
    /// The text or multi-part content.
    public var content: MessageContent
    /// An optional participant name.
    public var name: String?
    /// An optional message id (providers set it on responses).
    public var id: String?
    /// Tool calls requested by an assistant message.
    public var toolCalls: [ToolCall]
    /// For a tool message: the id of the call it answers.
    public var toolCallID: String?
    /// Token usage reported with an assistant message.
    public var usage: Usage?
    /// Provider details: finish reason, model name, system fingerprint, logprobs, response id.
    public var responseMetadata: [String: JSONValue]

    /// Creates a message.
    public init(
        role: Role,
        content: MessageContent,
        name: String? = nil,
        id: String? = nil,
        toolCalls: [ToolCall] = [],
        toolCallID: String? = nil,
        usage: Usage? = nil,
        responseMetadata: [String: JSONValue] = [:]
    ) {
        self.role = role
        self.content = content
        self.name = name
        self.id = id
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.usage = usage
        self.responseMetadata = responseMetadata
    }

    /// The text of the content (text parts joined).
    public var text: String { content.text }

    /// A system message.
    public static func system(_ text: String) -> Message { Message(role: .system, content: .text(text)) }
    /// A user message.
    public static func user(_ text: String, name: String? = nil) -> Message {
        Message(role: .user, content: .text(text), name: name)
    }
    /// An assistant message, optionally with tool calls.
    public static func assistant(_ text: String, toolCalls: [ToolCall] = []) -> Message {
        Message(role: .assistant, content: .text(text), toolCalls: toolCalls)
    }
    /// A tool message answering the call with id `callID`.
    public static func tool(_ text: String, callID: String) -> Message {
        Message(role: .tool, content: .text(text), toolCallID: callID)
    }

    /// The speaker label used when a conversation is flattened to text ("System", "Human", "AI", "Tool").
    public var speakerLabel: String {
        switch role {
        case .system: "System"
        case .user: "Human"
        case .assistant: "AI"
        case .tool: "Tool"
        }
    }
}

/// The content of a message: plain text or a list of parts (text and images).
public enum MessageContent: Sendable, Hashable, Codable {
    /// Plain text.
    case text(String)
    /// Multi-part content.
    case parts([ContentPart])

    /// The text parts joined together.
    public var text: String {
        switch self {
        case .text(let text): text
        case .parts(let parts): parts.compactMap(\.text).joined()
        }
    }
}

/// One part of multi-part message content.
public enum ContentPart: Sendable, Hashable, Codable {
    /// A piece of text.
    case text(String)
    /// An image by URL (or `data:` URL), with an optional detail level ("low", "high", "auto").
    case imageURL(String, detail: String? = nil)

    /// The text of a text part.
    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }
}

extension MessageContent: ExpressibleByStringLiteral {
    /// Text content from a literal.
    public init(stringLiteral value: String) { self = .text(value) }
}
