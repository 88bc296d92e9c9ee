public import Catena

/// The body of a `/v1/completions` response, or one chunk of its stream. Unknown fields are ignored.
public struct TextCompletion: Sendable, Decodable {
    /// The response id.
    public var id: String?
    /// The model that answered.
    public var model: String?
    /// The candidates (or their deltas while streaming).
    public var choices: [Choice]
    /// Token usage.
    public var usage: WireUsage?
    /// The server's configuration fingerprint.
    public var systemFingerprint: String?

    /// One candidate.
    public struct Choice: Sendable, Decodable {
        /// The candidate's position.
        public var index: Int?
        /// The completion text (a piece of it while streaming).
        public var text: String
        /// Why generation stopped.
        public var finishReason: String?
        /// Token log probabilities, as the server sent them.
        public var logprobs: JSONValue?

        enum CodingKeys: String, CodingKey {
            case index, text, logprobs
            case finishReason = "finish_reason"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, model, choices, usage
        case systemFingerprint = "system_fingerprint"
    }
}

/// The body of `/v1/models`.
public struct ModelList: Sendable, Decodable {
    /// The served models.
    public var data: [Model]

    /// One served model.
    public struct Model: Sendable, Decodable {
        /// The name to send as `model`.
        public var id: String
        /// Who owns it, when the server says.
        public var ownedBy: String?

        enum CodingKeys: String, CodingKey {
            case id
            case ownedBy = "owned_by"
        }
    }
}
