/// Token usage of one model call. Usage values add up with `+` when stream chunks merge.
///
/// Sums saturate at `Int.max` instead of trapping: the counts come from servers, which may send anything. Encoded
/// with LangChain's `usage_metadata` keys (`input_tokens`, `output_tokens`, `total_tokens`, and
/// `input_token_details.cache_read` / `cache_creation` and `output_token_details.reasoning` when not zero).
public struct Usage: Sendable, Hashable, Codable {
    /// Tokens in the prompt.
    public var inputTokens: Int
    /// Tokens generated.
    public var outputTokens: Int
    /// Input plus output tokens (as reported by the provider).
    public var totalTokens: Int
    /// Prompt tokens the provider read from its prompt cache (part of ``inputTokens``).
    public var cachedInputTokens: Int
    /// Prompt tokens the provider wrote to its prompt cache (part of ``inputTokens``; Anthropic reports them).
    public var cacheCreationInputTokens: Int
    /// Generated tokens spent on reasoning (part of ``outputTokens``).
    public var reasoningTokens: Int

    /// Creates a usage record; `totalTokens` defaults to the (saturating) sum of input and output tokens.
    public init(
        inputTokens: Int, outputTokens: Int, totalTokens: Int? = nil, cachedInputTokens: Int = 0,
        cacheCreationInputTokens: Int = 0, reasoningTokens: Int = 0
    ) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.totalTokens = totalTokens ?? inputTokens.addingSaturating(outputTokens)
        self.cachedInputTokens = cachedInputTokens
        self.cacheCreationInputTokens = cacheCreationInputTokens
        self.reasoningTokens = reasoningTokens
    }

    /// Adds two usage records field by field (saturating).
    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        Usage(
            inputTokens: lhs.inputTokens.addingSaturating(rhs.inputTokens),
            outputTokens: lhs.outputTokens.addingSaturating(rhs.outputTokens),
            totalTokens: lhs.totalTokens.addingSaturating(rhs.totalTokens),
            cachedInputTokens: lhs.cachedInputTokens.addingSaturating(rhs.cachedInputTokens),
            cacheCreationInputTokens: lhs.cacheCreationInputTokens.addingSaturating(rhs.cacheCreationInputTokens),
            reasoningTokens: lhs.reasoningTokens.addingSaturating(rhs.reasoningTokens)
        )
    }

    /// LangChain's `usage_metadata` names, snake_case like every other key Catena writes.
    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens", outputTokens = "output_tokens", totalTokens = "total_tokens"
        case inputTokenDetails = "input_token_details", outputTokenDetails = "output_token_details"
    }

    /// The keys inside `input_token_details` and `output_token_details`.
    enum DetailKeys: String, CodingKey {
        case cacheRead = "cache_read", cacheCreation = "cache_creation", reasoning
    }

    /// Decodes LangChain's `usage_metadata` shape; missing details count as zero.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func detail(_ key: CodingKeys, _ detail: DetailKeys) throws -> Int {
            guard container.contains(key) else { return 0 }
            return try container.nestedContainer(keyedBy: DetailKeys.self, forKey: key).decodeIfPresent(
                Int.self, forKey: detail) ?? 0
        }
        self.init(
            inputTokens: try container.decode(Int.self, forKey: .inputTokens),
            outputTokens: try container.decode(Int.self, forKey: .outputTokens),
            totalTokens: try container.decode(Int.self, forKey: .totalTokens),
            cachedInputTokens: try detail(.inputTokenDetails, .cacheRead),
            cacheCreationInputTokens: try detail(.inputTokenDetails, .cacheCreation),
            reasoningTokens: try detail(.outputTokenDetails, .reasoning))
    }

    /// Encodes LangChain's `usage_metadata` shape, with the details only when not zero.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(inputTokens, forKey: .inputTokens)
        try container.encode(outputTokens, forKey: .outputTokens)
        try container.encode(totalTokens, forKey: .totalTokens)
        if cachedInputTokens != 0 || cacheCreationInputTokens != 0 {
            var details = container.nestedContainer(keyedBy: DetailKeys.self, forKey: .inputTokenDetails)
            if cachedInputTokens != 0 { try details.encode(cachedInputTokens, forKey: .cacheRead) }
            if cacheCreationInputTokens != 0 { try details.encode(cacheCreationInputTokens, forKey: .cacheCreation) }
        }
        if reasoningTokens != 0 {
            var details = container.nestedContainer(keyedBy: DetailKeys.self, forKey: .outputTokenDetails)
            try details.encode(reasoningTokens, forKey: .reasoning)
        }
    }
}
