import Catena
import Testing

/// Counts and settings that may come from a server never make arithmetic trap.
@Suite struct UntrustedNumberTests {
    @Test("usage sums saturate at Int.max instead of trapping")
    func usageSaturates() {
        let huge = Usage(inputTokens: .max, outputTokens: 1)
        #expect(huge.totalTokens == .max)
        #expect(huge + huge == Usage(inputTokens: .max, outputTokens: 2, totalTokens: .max))
        let low = Usage(inputTokens: .min, outputTokens: -1)
        #expect(low.totalTokens == .min)
        var merged = Message(role: .assistant, content: .text("a"), usage: huge)
        merged.append(Message(role: .assistant, content: .text("b"), usage: huge))
        #expect(merged.usage?.inputTokens == .max)
    }

    @Test("retry delays stay within the cap whatever the attempt number or settings")
    func retryDelaysNeverOverflow() {
        let policy = RetryPolicy(initialDelay: .seconds(1), multiplier: 1e300, maxDelay: .seconds(60), jitter: .zero)
        for attempt in [1, 2, 64, 1_000_000, Int.max] {
            #expect(policy.delay(afterAttempt: attempt) <= .seconds(60))
        }
        #expect(policy.delay(afterAttempt: 1) == .seconds(1))
        let odd = RetryPolicy(
            initialDelay: .seconds(Int64.max), multiplier: .nan, maxDelay: .seconds(Int64.max), jitter: .seconds(-1))
        #expect(odd.delay(afterAttempt: 3) >= .zero)
    }
}
