/// A model output that parsers read as text: `String` (text models), `Message` (chat models), `Generation`.
public protocol ModelOutputText: Sendable {
    /// The text a parser reads.
    var outputText: String { get }
}

extension String: ModelOutputText {
    /// The string itself.
    public var outputText: String { self }
}

extension Message: ModelOutputText {
    /// The message's text.
    public var outputText: String { text }
}

extension Generation: ModelOutputText {
    /// The generation's text.
    public var outputText: String { text }
}
