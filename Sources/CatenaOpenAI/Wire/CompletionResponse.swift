public import Catena

/// The body of a completion response or of one chunk of its stream: `/chat/completions` (choices carry a
/// `message`), its stream (a `delta`) and `/completions` (a `text`). Unknown fields are ignored.
public struct CompletionResponse: Sendable, Codable {
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
    /// `chat.completion`, `chat.completion.chunk` or `text_completion`.
    public var object: String?

    /// Creates a response (for mock responses, caches and assembled streams).
    public init(
        id: String? = nil, model: String? = nil, created: Int? = nil, choices: [Choice], usage: WireUsage? = nil,
        systemFingerprint: String? = nil, object: String? = nil
    ) {
        self.id = id
        self.model = model
        self.created = created
        self.choices = choices
        self.usage = usage
        self.systemFingerprint = systemFingerprint
        self.object = object
    }

    /// One candidate, or its delta while streaming.
    public struct Choice: Sendable, Codable {
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

        /// Creates a candidate.
        public init(
            index: Int? = 0, message: WireMessage? = nil, delta: WireMessage? = nil, text: String? = nil,
            finishReason: String? = nil, logprobs: JSONValue? = nil
        ) {
            self.index = index
            self.message = message
            self.delta = delta
            self.text = text
            self.finishReason = finishReason
            self.logprobs = logprobs
        }

        enum CodingKeys: String, CodingKey {
            case index, message, delta, text, logprobs
            case finishReason = "finish_reason"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, model, created, choices, usage, object
        case systemFingerprint = "system_fingerprint"
    }
}

extension CompletionResponse {
    /// The text of the first candidate: its message, its delta, or its completion text.
    public var text: String {
        guard let choice = choices.first else { return "" }
        return choice.message?.content ?? choice.delta?.content ?? choice.text ?? ""
    }
}

/// The body of a `/chat/completions` response.
public typealias ChatCompletion = CompletionResponse
/// One `data:` payload of a streamed chat completion.
public typealias ChatCompletionChunk = CompletionResponse
/// The body of a `/completions` response, or one chunk of its stream.
public typealias TextCompletion = CompletionResponse

/// A message as the server sends it, whole or as a stream delta.
public struct WireMessage: Sendable, Codable {
    /// The speaker (`assistant`; often only in the first delta).
    public var role: String?
    /// The text (null in tool-call messages and in some first deltas).
    public var content: String?
    /// Reasoning text, from servers that separate it.
    public var reasoningContent: String?
    /// Tool calls or fragments of them.
    public var toolCalls: [WireToolCall]?

    /// Creates a message or delta.
    public init(
        role: String? = nil, content: String? = nil, reasoningContent: String? = nil, toolCalls: [WireToolCall]? = nil
    ) {
        self.role = role
        self.content = content
        self.reasoningContent = reasoningContent
        self.toolCalls = toolCalls
    }

    enum CodingKeys: String, CodingKey {
        case role, content
        case reasoningContent = "reasoning_content"
        case toolCalls = "tool_calls"
    }
}

/// A tool call as the server sends it, whole or as a stream fragment.
public struct WireToolCall: Sendable, Codable {
    /// The call's position (stream fragments).
    public var index: Int?
    /// The call id.
    public var id: String?
    /// The function name and arguments.
    public var function: Function?

    /// A function call.
    public struct Function: Sendable, Codable {
        /// The function name.
        public var name: String?
        /// The arguments as JSON text (a fragment while streaming).
        public var arguments: String?

        /// Creates a function call.
        public init(name: String? = nil, arguments: String? = nil) {
            self.name = name
            self.arguments = arguments
        }
    }

    /// `function` (always, for the calls this type carries).
    public var type: String?

    /// Creates a tool call or fragment.
    public init(index: Int? = nil, id: String? = nil, type: String? = nil, function: Function? = nil) {
        self.index = index
        self.id = id
        self.type = type
        self.function = function
    }

    /// The call as a core `ToolCall`.
    public var toolCall: ToolCall {
        ToolCall(index: index, id: id, name: function?.name ?? "", arguments: function?.arguments ?? "")
    }
}

/// Token usage as the server reports it.
public struct WireUsage: Sendable, Codable, Hashable {
    /// Prompt tokens.
    public var promptTokens: Int
    /// Generated tokens.
    public var completionTokens: Int
    /// Their sum, as the server reports it (the saturating sum when it does not).
    public var totalTokens: Int?
    /// Prompt tokens served from the provider's prompt cache (`prompt_tokens_details.cached_tokens`).
    public var promptTokensDetails: PromptTokensDetails?
    /// Generated tokens spent on reasoning (`completion_tokens_details.reasoning_tokens`).
    public var completionTokensDetails: CompletionTokensDetails?

    /// Details of the prompt tokens.
    public struct PromptTokensDetails: Sendable, Codable, Hashable {
        /// Prompt tokens read from the provider's prompt cache, billed at the cached-input price.
        public var cachedTokens: Int?

        /// Creates details.
        public init(cachedTokens: Int?) { self.cachedTokens = cachedTokens }

        enum CodingKeys: String, CodingKey {
            case cachedTokens = "cached_tokens"
        }
    }

    /// Details of the generated tokens.
    public struct CompletionTokensDetails: Sendable, Codable, Hashable {
        /// Generated tokens spent on reasoning.
        public var reasoningTokens: Int?

        /// Creates details.
        public init(reasoningTokens: Int?) { self.reasoningTokens = reasoningTokens }

        enum CodingKeys: String, CodingKey {
            case reasoningTokens = "reasoning_tokens"
        }
    }

    /// Creates a usage record; the total defaults to the sum (saturating at `Int.max`).
    public init(
        promptTokens: Int, completionTokens: Int, totalTokens: Int? = nil, cachedTokens: Int? = nil,
        reasoningTokens: Int? = nil
    ) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens ?? promptTokens.addingSaturating(completionTokens)
        self.promptTokensDetails = cachedTokens.map { PromptTokensDetails(cachedTokens: $0) }
        self.completionTokensDetails = reasoningTokens.map { CompletionTokensDetails(reasoningTokens: $0) }
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case promptTokensDetails = "prompt_tokens_details"
        case completionTokensDetails = "completion_tokens_details"
    }

    /// The usage as a core `Usage`.
    public var usage: Usage {
        Usage(
            inputTokens: promptTokens, outputTokens: completionTokens, totalTokens: totalTokens,
            cachedInputTokens: promptTokensDetails?.cachedTokens ?? 0,
            reasoningTokens: completionTokensDetails?.reasoningTokens ?? 0)
    }
}
