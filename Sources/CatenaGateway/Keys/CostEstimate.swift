import CatenaCompletion

/// What a request may cost at most, reserved against a key's budget before the call: its body's bytes (a token
/// is rarely shorter than four) at the input price, and `max_tokens` at the output price; the same tokens are
/// reserved against the key's tokens per minute. A request without `max_tokens` reserves its prompt only; set it
/// where budgets are tight.
struct CostEstimate: Sendable {
    /// The model's price (the highest of its deployments').
    let price: ModelPrice?
    /// The prompt's tokens, estimated from the body's bytes.
    let promptTokens: Int
    /// The most tokens the request may generate, if it says.
    let maxTokens: Int?

    /// The estimate for a request of `bodyBytes` that generates at most `maxTokens`.
    init(price: ModelPrice?, bodyBytes: Int, maxTokens: Int?) {
        self.price = price
        promptTokens = max(0, bodyBytes) / 4 + (bodyBytes % 4 == 0 ? 0 : 1)
        self.maxTokens = maxTokens
    }

    /// The most tokens the request may use: its prompt's estimate and `max_tokens`.
    var tokens: Int { promptTokens.addingReportingOverflow(max(0, maxTokens ?? 0)).partialValue }

    /// The most the request may cost.
    var cost: Double { cost(prompt: promptTokens, completion: max(0, maxTokens ?? 0)) }

    /// What `prompt` and `completion` tokens cost at the model's price (0 without one).
    func cost(prompt: Int, completion: Int) -> Double {
        guard let price else { return 0 }
        return Double(prompt) * price.inputCostPerToken + Double(completion) * price.outputCostPerToken
    }
}

extension ModelPrice {
    /// The higher of two prices, per kind of token.
    func higher(_ other: ModelPrice) -> ModelPrice {
        ModelPrice(
            inputCostPerToken: max(inputCostPerToken, other.inputCostPerToken),
            outputCostPerToken: max(outputCostPerToken, other.outputCostPerToken))
    }
}
