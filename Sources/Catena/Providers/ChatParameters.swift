/// The sampling settings every chat provider understands, and the provider-specific request fields it sends as
/// given. `nil` is not sent, so the provider's default applies.
public struct ChatParameters: Sendable, Hashable {
    /// Randomness (0 is greedy).
    public var temperature: Double?
    /// The most tokens to generate (Anthropic requires it: its provider sends a default when `nil`).
    public var maxTokens: Int?
    /// Nucleus sampling mass.
    public var topP: Double?
    /// Sample among the k most likely tokens.
    public var topK: Int?
    /// Stop sequences (merged with the stop sequences of the call).
    public var stop: [String]?
    /// Seed for reproducible sampling.
    public var seed: Int?
    /// Penalty for tokens already present.
    public var presencePenalty: Double?
    /// Penalty by token frequency.
    public var frequencyPenalty: Double?
    /// Any other request fields, under their wire names, sent as given (they win over every other field).
    public var extra: [String: JSONValue]

    /// Creates parameters; every field is optional.
    public init(
        temperature: Double? = nil, maxTokens: Int? = nil, topP: Double? = nil, topK: Int? = nil,
        stop: [String]? = nil, seed: Int? = nil, presencePenalty: Double? = nil, frequencyPenalty: Double? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.topP = topP
        self.topK = topK
        self.stop = stop
        self.seed = seed
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.extra = extra
    }

    /// The parameters that are set, under LangChain's names (`temperature`, `max_tokens`, …), extra fields
    /// included: what traces and cache keys show.
    public var identifying: [String: JSONValue] {
        var fields = extra
        if let temperature { fields["temperature"] = .double(temperature) }
        if let maxTokens { fields["max_tokens"] = .int(maxTokens) }
        if let topP { fields["top_p"] = .double(topP) }
        if let topK { fields["top_k"] = .int(topK) }
        if let stop { fields["stop"] = .array(stop.map { .string($0) }) }
        if let seed { fields["seed"] = .int(seed) }
        if let presencePenalty { fields["presence_penalty"] = .double(presencePenalty) }
        if let frequencyPenalty { fields["frequency_penalty"] = .double(frequencyPenalty) }
        return fields
    }
}
