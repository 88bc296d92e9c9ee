/// Token usage of one model call. Usage values add up with `+` when stream chunks merge.
///
/// Sums saturate at `Int.max` instead of trapping: the counts come from servers, which may send anything. Encoded
/// with LangChain's `usage_metadata` keys (`input_tokens`, `output_tokens`, `total_tokens`).
public struct Usage: Sendable, Hashable, Codable {
    /// Tokens in the prompt.
    public var inputTokens: Int
    /// Tokens generated.
    public var outputTokens: Int
    /// Input plus output tokens (as reported by the provider).
    public var totalTokens: Int

    /// Creates a usage record; `totalTokens` defaults to the (saturating) sum of the other two.
    public init(inputTokens: Int, outputTokens: Int, totalTokens: Int? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.totalTokens = totalTokens ?? inputTokens.addingSaturating(outputTokens)
    }

    /// LangChain's `usage_metadata` names, snake_case like every other key Catena writes.
    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens", outputTokens = "output_tokens", totalTokens = "total_tokens"
    }

    /// Adds two usage records field by field (saturating).
    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        Usage(
            inputTokens: lhs.inputTokens.addingSaturating(rhs.inputTokens),
            outputTokens: lhs.outputTokens.addingSaturating(rhs.outputTokens),
            totalTokens: lhs.totalTokens.addingSaturating(rhs.totalTokens)
        )
    }
}
