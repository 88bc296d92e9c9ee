import Catena

extension WireUsage {
    /// What this report adds to `previous`, the stream's last report before it.
    ///
    /// Servers report a stream's usage either once, at its end, or (vLLM's `continuous_usage_stats`) as running
    /// totals on every chunk. Chunks' usage adds up when they merge, so each chunk carries its increment: the sum is
    /// the last report in both cases. A count that went down adds nothing.
    func increment(since previous: WireUsage?) -> WireUsage {
        guard let previous else { return self }
        func added(_ now: Int?, _ before: Int?) -> Int { max(0, (now ?? 0).subtractingSaturating(before ?? 0)) }
        let cached = promptTokensDetails?.cachedTokens.map { added($0, previous.promptTokensDetails?.cachedTokens) }
        let reasoning = completionTokensDetails?.reasoningTokens.map {
            added($0, previous.completionTokensDetails?.reasoningTokens)
        }
        return WireUsage(
            promptTokens: added(promptTokens, previous.promptTokens),
            completionTokens: added(completionTokens, previous.completionTokens),
            totalTokens: added(totalTokens, previous.totalTokens), cachedTokens: cached,
            reasoningTokens: reasoning)
    }
}
