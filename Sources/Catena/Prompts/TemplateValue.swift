/// A value for a prompt template variable: text, or messages for a ``ChatPromptTemplate`` placeholder.
///
/// String and array literals work: `["input": "hello", "history": [.user("hi"), .assistant("hello")]]`.
public enum TemplateValue: Sendable, Hashable, Codable {
    /// Text substituted for `{name}`.
    case text(String)
    /// Messages inserted at a placeholder (flattened to lines when used in text).
    case messages([Message])

    /// The value as text.
    public var text: String {
        switch self {
        case .text(let text): text
        case .messages(let messages): PromptValue.messages(messages).string
        }
    }
}

extension TemplateValue: ExpressibleByStringLiteral {
    /// Text from a literal.
    public init(stringLiteral value: String) { self = .text(value) }
}

extension TemplateValue: ExpressibleByArrayLiteral {
    /// Messages from a literal.
    public init(arrayLiteral elements: Message...) { self = .messages(elements) }
}

extension TemplateValue: ErrorDescribingValue {
    /// The error's description as text.
    public init(describing error: any Error) { self = .text(String(describing: error)) }
}

extension TemplateValue {
    /// Decodes a string (text) or a list of messages.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .messages(try container.decode([Message].self))
        }
    }

    /// Encodes text as a string and messages as a list.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .messages(let messages): try container.encode(messages)
        }
    }
}
