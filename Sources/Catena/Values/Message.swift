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
    /// Everything else, shared between copies until one changes it; `nil` while all of it is empty. Most messages
    /// (and every streamed token) carry none of it, and a message is copied into every chunk, event and
    /// generation, so a copy costs at most one reference count here.
    private var details: MessageDetails.Box?

    /// An optional participant name.
    public var name: String? {
        get { details?.values.name }
        set { updateDetails { $0.name = newValue } }
    }
    /// An optional message id (providers set it on responses).
    public var id: String? {
        get { details?.values.id }
        set { updateDetails { $0.id = newValue } }
    }
    /// Tool calls requested by an assistant message.
    public var toolCalls: [ToolCall] {
        get { details?.values.toolCalls ?? [] }
        set { updateDetails { $0.toolCalls = newValue } }
    }
    /// For a tool message: the id of the call it answers.
    public var toolCallID: String? {
        get { details?.values.toolCallID }
        set { updateDetails { $0.toolCallID = newValue } }
    }
    /// Token usage reported with an assistant message.
    public var usage: Usage? {
        get { details?.values.usage }
        set { updateDetails { $0.usage = newValue } }
    }
    /// Provider details: finish reason, model name, system fingerprint, logprobs, response id.
    public var responseMetadata: [String: JSONValue] {
        get { details?.values.responseMetadata ?? [:] }
        set { updateDetails { $0.responseMetadata = newValue } }
    }

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
        let details = MessageDetails(
            name: name, id: id, toolCalls: toolCalls, toolCallID: toolCallID, usage: usage,
            responseMetadata: responseMetadata)
        self.details = details.isEmpty ? nil : MessageDetails.Box(details)
    }

    /// Whether the message carries nothing besides its role and content.
    var hasOnlyContent: Bool { details == nil }

    /// The fields beyond role and content.
    var detailValues: MessageDetails { details?.values ?? MessageDetails() }

    /// Changes the details in place when this message holds the only reference to them, else on a copy.
    mutating func updateDetails(_ change: (inout MessageDetails) -> Void) {
        if details == nil {
            details = MessageDetails.Box(MessageDetails())
        } else if !isKnownUniquelyReferenced(&details!) {
            details = MessageDetails.Box(details!.values)
        }
        change(&details!.values)
        if details!.values.isEmpty { details = nil }
    }

    /// Messages are equal when their role, content and every other field are equal.
    public static func == (lhs: Message, rhs: Message) -> Bool {
        lhs.role == rhs.role && lhs.content == rhs.content
            && (lhs.details === rhs.details || lhs.detailValues == rhs.detailValues)
    }

    /// Hashes the role, the content and every other field.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(role)
        hasher.combine(content)
        hasher.combine(detailValues)
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

    /// Whether some part is an image.
    public var hasImages: Bool {
        guard case .parts(let parts) = self else { return false }
        return parts.contains { $0.text == nil }
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

/// The fields of a message beyond role and content.
struct MessageDetails: Hashable, Sendable {
    var name: String?
    var id: String?
    var toolCalls: [ToolCall] = []
    var toolCallID: String?
    var usage: Usage?
    var responseMetadata: [String: JSONValue] = [:]

    /// Whether every field is empty (a message then stores no details at all).
    var isEmpty: Bool {
        name == nil && id == nil && toolCalls.isEmpty && toolCallID == nil && usage == nil && responseMetadata.isEmpty
    }

    /// The storage messages share: copy-on-write, changed in place only through a message holding the sole
    /// reference (``Message/updateDetails(_:)``), so no two tasks ever change one box.
    final class Box: @unchecked Sendable {
        var values: MessageDetails
        init(_ values: MessageDetails) { self.values = values }
    }
}
