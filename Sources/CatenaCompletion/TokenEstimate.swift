import Catena

/// Token counts estimated without a tokenizer, as LiteLLM counts a mocked stream's usage: text is split the way
/// OpenAI's `cl100k` tokenizer splits it before merging (words with the space before them, digits by threes, runs
/// of punctuation, line breaks), and each piece counts as one token, a word as one per six letters. Close to the
/// real count for ordinary text (`"Hello world"`: 2), not exact.
enum TokenEstimate {
    /// What a run of characters is.
    private enum Kind {
        case letters, digits, punctuation, lineBreaks

        init?(_ character: Character) {
            if character.isLetter {
                self = .letters
            } else if character.isNumber {
                self = .digits
            } else if character.isNewline {
                self = .lineBreaks
            } else if character.isWhitespace {
                return nil  // a space belongs to the piece after it
            } else {
                self = .punctuation
            }
        }

        /// The tokens of a run of `length` characters.
        func tokens(_ length: Int) -> Int {
            switch self {
            case .letters: (length + 5) / 6
            case .digits: (length + 2) / 3
            case .punctuation, .lineBreaks: 1
            }
        }
    }

    /// The estimated tokens of `text`.
    static func count(_ text: String) -> Int {
        var count = 0
        var run: (kind: Kind, length: Int)?
        for character in text {
            let kind = Kind(character)
            if let current = run, current.kind == kind {
                run!.length += 1
                continue
            }
            if let current = run { count += current.kind.tokens(current.length) }
            run = kind.map { ($0, 1) }
        }
        if let current = run { count += current.kind.tokens(current.length) }
        return count
    }

    /// The estimated prompt tokens of `messages` by OpenAI's accounting: 3 per message with its role and content,
    /// and 3 that start the reply.
    static func prompt(_ messages: [Message]) -> Int {
        messages.reduce(3) { total, message in total + 3 + count(message.role.rawValue) + count(message.text) }
    }
}
