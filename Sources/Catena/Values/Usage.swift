/// Token usage of one model call. Usage values add up with `+` when stream chunks merge.
public struct Usage: Sendable, Hashable, Codable {
    /// Tokens in the prompt.
    public var inputTokens: Int
    /// Tokens generated.
    public var outputTokens: Int
    /// Input plus output tokens (as reported by the provider).
    public var totalTokens: Int

    /// Creates a usage record; `totalTokens` defaults to the sum of the other two.
    public init(inputTokens: Int, outputTokens: Int, totalTokens: Int? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.totalTokens = totalTokens ?? inputTokens + outputTokens
    }

    /// Adds two usage records field by field.
    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        Usage(
            inputTokens: lhs.inputTokens + rhs.inputTokens,
            outputTokens: lhs.outputTokens + rhs.outputTokens,
            totalTokens: lhs.totalTokens + rhs.totalTokens
        )
    }
}
