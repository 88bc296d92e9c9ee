/// What a prompt template produces and what models take: plain text or a list of messages. Also the value of a
/// template variable: text for `{name}`, messages for a ``ChatPromptTemplate`` placeholder.
///
/// Text models see the string form; chat models see the message form. A string literal is a text prompt and an
/// array literal of messages is a chat prompt, so `llm.invoke("Hi")` and `chat.invoke([.user("Hi")])` read naturally.
public enum PromptValue: Sendable, Hashable, Codable {
    /// A text prompt.
    case text(String)
    /// A chat prompt.
    case messages([Message])

    /// The prompt as text; messages become `"System: …\nHuman: …"` lines.
    public var string: String {
        switch self {
        case .text(let text): text
        case .messages(let messages): messages.map { "\($0.speakerLabel): \($0.text)" }.joined(separator: "\n")
        }
    }

    /// The prompt as messages; a text prompt is one user message.
    public var messages: [Message] {
        switch self {
        case .text(let text): [.user(text)]
        case .messages(let messages): messages
        }
    }
}

extension PromptValue: ExpressibleByStringLiteral {
    /// A text prompt from a literal.
    public init(stringLiteral value: String) { self = .text(value) }
}

extension PromptValue: ExpressibleByArrayLiteral {
    /// A chat prompt from a literal list of messages.
    public init(arrayLiteral elements: Message...) { self = .messages(elements) }
}

extension PromptValue: ErrorDescribingValue {
    /// The error's description as a text prompt, for fallbacks that receive the previous error.
    public init(describing error: any Error) { self = .text(String(describing: error)) }
}
