import CatenaCompletion

/// What a request may cost at most, reserved against a key's budget before the call: its body's bytes (a token
/// is rarely shorter than four) at the input price, and `max_tokens` at the output price. A request without
/// `max_tokens` reserves its prompt only; set it where budgets are tight.
struct CostEstimate {
    /// The model's price (the highest of its deployments').
    let price: ModelPrice?

    /// The estimate for a request of `bodyBytes` that generates at most `maxTokens`.
    func cost(bodyBytes: Int, maxTokens: Int?) -> Double {
        guard let price else { return 0 }
        let prompt = (Double(max(0, bodyBytes)) / 4).rounded(.up)
        let output = Double(max(0, maxTokens ?? 0))
        return prompt * price.inputCostPerToken + output * price.outputCostPerToken
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
