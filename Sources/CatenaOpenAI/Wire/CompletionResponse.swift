public import Catena

/// The body of a completion response or of one chunk of its stream: `/chat/completions` (choices carry a
/// `message`), its stream (a `delta`) and `/completions` (a `text`). Unknown fields are ignored.
public struct CompletionResponse: Sendable, Decodable {
    /// The response id (the same in every chunk of a stream).
    public var id: String?
    /// The model that answered.
    public var model: String?
    /// Creation time (seconds since 1970).
    public var created: Int?
    /// The candidates, or their deltas while streaming (none in a stream's final usage chunk).
    public var choices: [Choice]
    /// Token usage (in a stream's last chunk when `stream_options.include_usage` is set).
    public var usage: WireUsage?
    /// The server's configuration fingerprint.
    public var systemFingerprint: String?

    /// One candidate, or its delta while streaming.
    public struct Choice: Sendable, Decodable {
        /// The candidate's position.
        public var index: Int?
        /// The assistant message (chat completions).
        public var message: WireMessage?
        /// The new text or tool-call fragments (chat completion chunks).
        public var delta: WireMessage?
        /// The completion text, or a piece of it (text completions).
        public var text: String?
        /// Why generation stopped (`stop`, `length`, `tool_calls`); in a stream, set in the candidate's last chunk.
        public var finishReason: String?
        /// Token log probabilities, as the server sent them.
        public var logprobs: JSONValue?

        enum CodingKeys: String, CodingKey {
            case index, message, delta, text, logprobs
            case finishReason = "finish_reason"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, model, created, choices, usage
        case systemFingerprint = "system_fingerprint"
    }
}

/// The body of a `/chat/completions` response.
public typealias ChatCompletion = CompletionResponse
/// One `data:` payload of a streamed chat completion.
public typealias ChatCompletionChunk = CompletionResponse
/// The body of a `/completions` response, or one chunk of its stream.
public typealias TextCompletion = CompletionResponse

/// A message as the server sends it, whole or as a stream delta.
public struct WireMessage: Sendable, Decodable {
    /// The speaker (`assistant`; often only in the first delta).
    public var role: String?
    /// The text (null in tool-call messages and in some first deltas).
    public var content: String?
    /// Reasoning text, from servers that separate it.
    public var reasoningContent: String?
    /// Tool calls or fragments of them.
    public var toolCalls: [WireToolCall]?

    enum CodingKeys: String, CodingKey {
        case role, content
        case reasoningContent = "reasoning_content"
        case toolCalls = "tool_calls"
    }
}

/// A tool call as the server sends it, whole or as a stream fragment.
public struct WireToolCall: Sendable, Decodable {
    /// The call's position (stream fragments).
    public var index: Int?
    /// The call id.
    public var id: String?
    /// The function name and arguments.
    public var function: Function?

    /// A function call.
    public struct Function: Sendable, Decodable {
        /// The function name.
        public var name: String?
        /// The arguments as JSON text (a fragment while streaming).
        public var arguments: String?
    }

    /// The call as a core ``ToolCall``.
    public var toolCall: ToolCall {
        ToolCall(index: index, id: id, name: function?.name ?? "", arguments: function?.arguments ?? "")
    }
}

/// Token usage as the server reports it.
public struct WireUsage: Sendable, Decodable {
    /// Prompt tokens.
    public var promptTokens: Int
    /// Generated tokens.
    public var completionTokens: Int
    /// Their sum.
    public var totalTokens: Int?

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    /// The usage as a core ``Usage``.
    public var usage: Usage { Usage(inputTokens: promptTokens, outputTokens: completionTokens, totalTokens: totalTokens) }
}
