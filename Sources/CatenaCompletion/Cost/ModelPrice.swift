public import CatenaOpenAI

/// What a model costs per token, in US dollars.
public struct ModelPrice: Sendable, Hashable, Codable {
    /// Price of a prompt token.
    public var inputCostPerToken: Double
    /// Price of a generated token.
    public var outputCostPerToken: Double
    /// Price of a prompt token read from the provider's prompt cache (`nil`: the input price).
    public var cachedInputCostPerToken: Double?
    /// The provider a bare model name belongs to (`openai` for `gpt-4o`).
    public var provider: String?

    /// Creates a price.
    public init(
        inputCostPerToken: Double, outputCostPerToken: Double, cachedInputCostPerToken: Double? = nil,
        provider: String? = nil
    ) {
        self.inputCostPerToken = inputCostPerToken
        self.outputCostPerToken = outputCostPerToken
        self.cachedInputCostPerToken = cachedInputCostPerToken
        self.provider = provider
    }

    /// Costs nothing: self-hosted models.
    public static let free = ModelPrice(inputCostPerToken: 0, outputCostPerToken: 0)

    /// The cost of `usage`: uncached prompt tokens at the input price, cached ones at the cached-input price,
    /// generated tokens at the output price. Computed in floating point, so no count can make it trap; a negative
    /// count (which decoding a server's usage refuses) counts as zero.
    public func cost(of usage: WireUsage) -> Double {
        let prompt = Double(max(0, usage.promptTokens))
        let cached = min(Double(max(0, usage.promptTokensDetails?.cachedTokens ?? 0)), prompt)
        return (prompt - cached) * inputCostPerToken
            + cached * (cachedInputCostPerToken ?? inputCostPerToken)
            + Double(max(0, usage.completionTokens)) * outputCostPerToken
    }

    enum CodingKeys: String, CodingKey {
        case inputCostPerToken = "input_cost_per_token"
        case outputCostPerToken = "output_cost_per_token"
        case cachedInputCostPerToken = "cache_read_input_token_cost"
        case provider
    }
}
