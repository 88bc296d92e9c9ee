/// What a model streams: ``Generation`` chunks for text models, ``Message`` chunks for chat models.
///
/// The framework reports, merges, caches and cuts chunks of either kind without converting each one, so a
/// streamed token costs one merge and, only when a handler listens, one ``Generation`` for `onLLMNewToken`.
protocol ModelChunk: StreamChunk, Sendable {
    /// The chunk for a whole generation (a cached or non-streamed answer).
    init(_ generation: Generation)
    /// The chunk as a generation, what handlers and the cache receive.
    var generation: Generation { get }
    /// The chunk's text.
    var text: String { get }
    /// Whether the chunk carries something besides text (tool calls, usage), so it is kept even when its text is
    /// cut away by a stop sequence.
    var hasNonTextContent: Bool { get }
    /// The chunk with `text` as its text.
    func replacingText(_ text: String) -> Self
}

extension Generation: ModelChunk {
    init(_ generation: Generation) { self = generation }

    var generation: Generation { self }

    var hasNonTextContent: Bool { message?.hasNonTextContent ?? false }

    /// This generation with `newText` as its text (and its message's text content).
    func replacingText(_ newText: String) -> Generation {
        var copy = self
        copy.text = newText
        copy.message = message?.replacingText(newText)
        return copy
    }
}

extension Message: ModelChunk {
    init(_ generation: Generation) { self = generation.assistantMessage }

    var generation: Generation { Generation(message: self) }

    var hasNonTextContent: Bool { !toolCalls.isEmpty || usage != nil }

    /// This message with `newText` as its text content (multi-part content is kept as it is).
    func replacingText(_ newText: String) -> Message {
        guard case .text = content else { return self }
        var copy = self
        copy.content = .text(newText)
        return copy
    }
}

extension Generation {
    /// The generation as an assistant message (its message, or its text as a new message).
    var assistantMessage: Message { message ?? .assistant(text) }
}
