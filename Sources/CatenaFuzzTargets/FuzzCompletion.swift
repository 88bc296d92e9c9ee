import Catena
import CatenaCompletion
import CatenaOpenAI

/// Reads arbitrary bytes as a completion response or stream chunk and computes everything Catena derives from one.
enum FuzzCompletion {
    static func run(_ bytes: [UInt8]) {
        guard let response = try? ModelServerClient.decode(CompletionResponse.self, from: bytes) else { return }
        _ = ChatResult(response)
        if let usage = response.usage {
            _ = ModelPrice(inputCostPerToken: 1e-6, outputCostPerToken: 2e-6, cachedInputCostPerToken: 5e-7).cost(
                of: usage)
            _ = usage.usage + usage.usage
        }
        if let message = ChatResult(response).generations.first?.message { _ = (message + message).usage }
    }
}
