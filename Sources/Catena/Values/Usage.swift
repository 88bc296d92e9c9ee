/// Token usage of one model call. Usage values add up with `+` when stream chunks merge.
///
/// Sums saturate at `Int.max` instead of trapping: the counts come from servers, which may send anything.
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

    /// Adds two usage records field by field (saturating).
    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        Usage(
            inputTokens: lhs.inputTokens.addingSaturating(rhs.inputTokens),
            outputTokens: lhs.outputTokens.addingSaturating(rhs.outputTokens),
            totalTokens: lhs.totalTokens.addingSaturating(rhs.totalTokens)
        )
    }
}
