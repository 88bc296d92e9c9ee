public import Catena

/// One `data:` payload of a streamed chat completion. Unknown fields are ignored.
public struct ChatCompletionChunk: Sendable, Decodable {
    /// The response id (the same in every chunk).
    public var id: String?
    /// The model that answers.
    public var model: String?
    /// The deltas, one per candidate (empty in the final usage chunk).
    public var choices: [Choice]
    /// Token usage, in the final chunk when `stream_options.include_usage` is set.
    public var usage: WireUsage?
    /// The server's configuration fingerprint.
    public var systemFingerprint: String?

    /// The delta of one candidate.
    public struct Choice: Sendable, Decodable {
        /// The candidate's position.
        public var index: Int?
        /// The new text or tool-call fragments.
        public var delta: WireMessage
        /// Set in the candidate's last chunk.
        public var finishReason: String?
        /// Log probabilities of this chunk's tokens.
        public var logprobs: JSONValue?

        enum CodingKeys: String, CodingKey {
            case index, delta, logprobs
            case finishReason = "finish_reason"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, model, choices, usage
        case systemFingerprint = "system_fingerprint"
    }
}
