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
        content = content.appending(chunk.content)
        if id == nil { id = chunk.id }
        if name == nil { name = chunk.name }
        if toolCallID == nil { toolCallID = chunk.toolCallID }
        for call in chunk.toolCalls {
            if let index = call.index, let position = toolCalls.firstIndex(where: { $0.index == index }) {
                toolCalls[position].merge(call)
            } else {
                toolCalls.append(call)
            }
        }
        if let more = chunk.usage { usage = usage.map { $0 + more } ?? more }
        responseMetadata.merge(chunk.responseMetadata) { _, later in later }
    }
}

extension MessageContent {
    /// This content followed by `other`: texts concatenate, parts append.
    func appending(_ other: MessageContent) -> MessageContent {
        switch (self, other) {
        case (.text(let left), .text(let right)): .text(left + right)
        case (.text(let left), .parts(let right)): .parts((left.isEmpty ? [] : [.text(left)]) + right)
        case (.parts(let left), .text(let right)): .parts(right.isEmpty ? left : left + [.text(right)])
        case (.parts(let left), .parts(let right)): .parts(left + right)
        }
    }
}
