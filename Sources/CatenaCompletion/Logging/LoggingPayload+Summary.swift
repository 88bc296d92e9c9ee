import CatenaOpenAI
import Foundation

extension LoggingPayload {
    /// The call in one line for a person: model, tokens, cost, cache hit or miss and time, such as
    /// `[hosted_vllm/local: 31 prompt + 10 completion tokens, $0.000000, cache miss, 242 ms]`, or the failure.
    public var summary: String {
        if status == .failure { return "[\(model): failed: \(error?.message ?? "unknown error")]" }
        let tokens = usage.map { "\($0.promptTokens) prompt + \($0.completionTokens) completion tokens" } ?? "no usage"
        let cache =
            switch cacheHit {
            case true?: "cached: a cache hit (saved $\(String(format: "%.6f", savedCost ?? 0)))"
            case false?: "cache miss" + (cacheError.map { " (\($0))" } ?? "")
            case nil: "no cache"
            }
        let cost = responseCost.map { "$" + String(format: "%.6f", $0) } ?? "unknown cost"
        let milliseconds = endTime.map { Int(min(max($0.timeIntervalSince(startTime) * 1000, 0), 1e12)) } ?? 0
        return "[\(model): \(tokens), \(cost), \(cache), \(milliseconds) ms]"
    }
}
