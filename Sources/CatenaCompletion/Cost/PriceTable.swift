import Catena
import Foundation

/// Prices per model: the table shipped with Catena (`model_prices.json`, public list prices of common hosted
/// models), plus your overrides.
///
/// ```swift
/// let prices = PriceTable.bundled.setting(
///     ModelPrice(inputCostPerToken: 2e-7, outputCostPerToken: 6e-7), for: "hosted_vllm/llama-3.1-8b")
/// ```
public struct PriceTable: Sendable {
    /// Prices by model name (`gpt-4o`) or by `provider/name` (which wins).
    public private(set) var prices: [String: ModelPrice]

    /// A table of `prices`.
    public init(_ prices: [String: ModelPrice]) {
        self.prices = prices
    }

    /// The table shipped as a resource of this module.
    public static let bundled: PriceTable = {
        do {
            guard let url = Bundle.module.url(forResource: "model_prices", withExtension: "json") else {
                throw CocoaError(.fileNoSuchFile)
            }
            return PriceTable(
                try JSONValue(parsing: Array(Data(contentsOf: url))).decode(as: [String: ModelPrice].self))
        } catch {
            preconditionFailure("CatenaCompletion's model_prices.json resource is missing or invalid: \(error)")
        }
    }()

    /// This table with `price` for `model` (a bare name or `provider/name`).
    public func setting(_ price: ModelPrice, for model: String) -> PriceTable {
        var copy = self
        copy.prices[model] = price
        return copy
    }

    /// The price of `model` (`provider/name` or a bare name): its `provider/name` entry, else its bare name's.
    public func price(named model: String) -> ModelPrice? { price(for: ModelReference(parsing: model)) }

    /// The price of `reference`: its `provider/name` entry, else its bare name's.
    func price(for reference: ModelReference) -> ModelPrice? {
        reference.provider.isEmpty ? prices[reference.name] : prices[reference.description] ?? prices[reference.name]
    }
}
