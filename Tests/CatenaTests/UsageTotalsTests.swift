import Catena
import CatenaTesting
import Testing

@Suite struct UsageTotalsTests {
    /// A chat model that answers with usage and its model name, and streams its answer in two chunks with the
    /// usage on the last one (as OpenAI-compatible servers do).
    struct MeteredModel: ChatModel {
        let model: String
        let usage: Usage
        var llmType: String { "metered" }

        func reply(_ text: String, usage: Usage?) -> Message {
            var message = Message.assistant(text)
            message.usage = usage
            message.responseMetadata = ["model_name": .string(model)]
            return message
        }

        func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
            ChatResult(message: reply("answer", usage: usage))
        }

        func generateStream(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) -> RunnableStream<
            Message
        >? {
            .of([reply("ans", usage: nil), reply("wer", usage: usage)])
        }
    }

    let small = MeteredModel(model: "small", usage: Usage(inputTokens: 10, outputTokens: 4, cachedInputTokens: 6))
    let large = MeteredModel(model: "large", usage: Usage(inputTokens: 20, outputTokens: 30, reasoningTokens: 12))

    @Test func totalsEveryModelRunOfAChainOncePerRunStreamingIncluded() async throws {
        let totals = UsageTotals()
        let chain = small | RunnableLambda { (message: Message) in PromptValue.text(message.text) } | large
        _ = try await chain.invoke(.text("q"), config: .init(callbacks: [totals]))
        _ = try await chain.stream(.text("q"), config: .init(callbacks: [totals])).collect()
        #expect(totals.byModel["small"] == Usage(inputTokens: 20, outputTokens: 8, cachedInputTokens: 12))
        #expect(totals.byModel["large"] == Usage(inputTokens: 40, outputTokens: 60, reasoningTokens: 24))
        #expect(totals.total == Usage(inputTokens: 60, outputTokens: 68, cachedInputTokens: 12, reasoningTokens: 24))
    }

    @Test func concurrentCallsAreAllCounted() async throws {
        let totals = UsageTotals()
        _ = try await small.batch(Array(repeating: .text("q"), count: 50), config: .init(callbacks: [totals]))
        #expect(totals.byModel["small"]?.inputTokens == 500)
        #expect(totals.byModel["small"]?.totalTokens == 700)
        totals.reset()
        #expect(totals.byModel.isEmpty)
    }

    @Test func usageDetailsRoundTripInLangChainsShape() throws {
        let usage = Usage(inputTokens: 5, outputTokens: 7, cachedInputTokens: 2, reasoningTokens: 3)
        let json = try JSONValue(encoding: usage)
        #expect(
            json == [
                "input_tokens": 5, "output_tokens": 7, "total_tokens": 12,
                "input_token_details": ["cache_read": 2], "output_token_details": ["reasoning": 3],
            ])
        #expect(try json.decode(as: Usage.self) == usage)
        #expect(
            try JSONValue(encoding: Usage(inputTokens: 1, outputTokens: 1)) == [
                "input_tokens": 1, "output_tokens": 1, "total_tokens": 2,
            ])
    }
}
