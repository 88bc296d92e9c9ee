extension Message {
    /// Merges a later stream chunk into this one.
    ///
    /// Text concatenates, tool-call fragments merge by index (fragments without an index are appended), usage adds
    /// up, response metadata merges with later values winning, and the first id and name seen are kept.
    public static func + (lhs: Message, rhs: Message) -> Message {
        var merged = lhs
        merged.append(rhs)
        return merged
    }

    /// Merges a later stream chunk into this message in place. See `+`.
    public mutating func append(_ chunk: Message) {
        content.append(chunk.content)
        guard !chunk.hasOnlyContent else { return }
        let later = chunk.detailValues
        updateDetails { $0.merge(later) }
    }
}

extension MessageDetails {
    /// Merges the details of a later chunk; see ``Message/append(_:)``.
    mutating func merge(_ chunk: MessageDetails) {
        id = id ?? chunk.id
        name = name ?? chunk.name
        toolCallID = toolCallID ?? chunk.toolCallID
        for call in chunk.toolCalls {
            if let index = call.index, let position = toolCalls.firstIndex(where: { $0.index == index }) {
                toolCalls[position].merge(call)
            } else {
                toolCalls.append(call)
            }
        }
        if let more = chunk.usage { usage = usage.map { $0 + more } ?? more }
        if !chunk.responseMetadata.isEmpty { responseMetadata.merge(chunk.responseMetadata) { _, later in later } }
    }
}

extension MessageContent {
    /// Appends `other` in place: texts concatenate, parts append.
    ///
    /// The payload is moved out before it grows, so a long streamed text is extended, not copied, per chunk.
    mutating func append(_ other: MessageContent) {
        switch (self, other) {
        case (.text(var left), .text(let right)):
            self = .text("")
            left += right
            self = .text(left)
        case (.text(let left), .parts(let right)):
            self = .parts((left.isEmpty ? [] : [.text(left)]) + right)
        case (.parts(var left), .text(let right)):
            guard !right.isEmpty else { return }
            self = .text("")
            left.append(.text(right))
            self = .parts(left)
        case (.parts(var left), .parts(let right)):
            self = .text("")
            left += right
            self = .parts(left)
        }
    }
}
