/// One candidate output of a model, or a chunk of one while streaming.
///
/// Text models fill `text`; chat models also carry the assistant `message` (whose text equals `text`).
/// Chunks merge with `+`.
public struct Generation: Sendable, Hashable, Codable {
    /// The generated text.
    public var text: String
    /// The assistant message, for chat models.
    public var message: Message?
    /// Provider details for this candidate (finish reason, logprobs, …).
    public var info: [String: JSONValue]

    /// A text generation.
    public init(text: String, info: [String: JSONValue] = [:]) {
        self.text = text
        self.message = nil
        self.info = info
    }

    /// A chat generation; `text` is the message's text.
    public init(message: Message, info: [String: JSONValue]) {
        self.text = message.text
        self.message = message
        self.info = info
    }

    /// A chat generation without provider details; `text` is the message's text. (Not a defaulted `info`: a
    /// streamed token builds one per chunk, and a default argument builds its empty dictionary on every call.)
    public init(message: Message) {
        self.init(message: message, info: Dictionary())
    }

    /// Merges a later chunk: text concatenates, messages merge, info merges with later values winning.
    public static func + (lhs: Generation, rhs: Generation) -> Generation {
        var merged = lhs
        merged.append(rhs)
        return merged
    }
}

/// The result of a model run: what `onLLMEnd` receives (LangChain's `LLMResult`).
public struct LLMResult: Sendable, Hashable, Codable {
    /// One list of candidates per prompt.
    public var generations: [[Generation]]
    /// Provider-level output (token usage, model name), when the model reports any.
    public var llmOutput: [String: JSONValue]?

    /// Creates a result.
    public init(generations: [[Generation]], llmOutput: [String: JSONValue]? = nil) {
        self.generations = generations
        self.llmOutput = llmOutput
    }

    /// An empty result, what an error before any output reports as the partial response.
    public static let empty = LLMResult(generations: [])

    /// The result of one chat model call: its candidates as the only prompt's.
    public init(_ result: ChatResult) {
        self.init(generations: [result.generations], llmOutput: result.llmOutput)
    }
}

/// What a chat model's `generate` returns: its candidates and any provider-level output.
public struct ChatResult: Sendable, Hashable, Codable {
    /// The candidates; the first one is what `invoke` returns.
    public var generations: [Generation]
    /// Provider-level output.
    public var llmOutput: [String: JSONValue]?

    /// Creates a result with the given candidates.
    public init(generations: [Generation], llmOutput: [String: JSONValue]? = nil) {
        self.generations = generations
        self.llmOutput = llmOutput
    }

    /// A result with a single assistant message.
    public init(message: Message, llmOutput: [String: JSONValue]? = nil) {
        self.init(generations: [Generation(message: message)], llmOutput: llmOutput)
    }
}
