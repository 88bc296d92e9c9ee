import Catena
import CatenaCompletion
import CatenaOpenAI

/// Reads arbitrary bytes as a completion response or stream chunk, whole and as the summary a relayed answer is read
/// as, computes everything Catena derives from one, and passes them on as a relayed request with its model set.
enum FuzzCompletion {
    static func run(_ bytes: [UInt8]) {
        if var summary = try? ModelServerClient.decode(CompletionSummary.self, from: bytes) {
            summary.add(summary)
            _ = (ChatResult(summary), summary.reportsUsageOnly)
        }
        if let relayed = try? JSONValue.settingMembers([("model", "m"), ("stream", true)], in: bytes) {
            precondition((try? JSONValue(parsing: relayed))?["model"] == "m", "a relayed body lost its model")
        }
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
