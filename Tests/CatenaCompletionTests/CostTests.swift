import CatenaCompletion
import CatenaOpenAI
import Testing
import CatenaTestServices

@Suite("Cost")
struct CostTests {
    @Test("the bundled price table lists common hosted models with their providers")
    func bundledTable() throws {
        let gpt4o = try #require(PriceTable.bundled.prices["gpt-4o"])
        #expect(gpt4o.inputCostPerToken == 2.5e-06)
        #expect(gpt4o.outputCostPerToken == 1e-05)
        #expect(gpt4o.cachedInputCostPerToken == 1.25e-06)
        #expect(gpt4o.provider == "openai")
        #expect(PriceTable.bundled.prices.count >= 10)
    }

    @Test("cached prompt tokens cost the cached-input price")
    func cachedInputTokens() {
        let price = ModelPrice(inputCostPerToken: 2, outputCostPerToken: 10, cachedInputCostPerToken: 1)
        let usage = WireUsage(promptTokens: 100, completionTokens: 5, cachedTokens: 40)
        let expected: Double = 60 * 2 + 40 * 1 + 5 * 10
        #expect(price.cost(of: usage) == expected)
        #expect(ModelPrice(inputCostPerToken: 2, outputCostPerToken: 10).cost(of: usage) == 250)
    }

    @Test("absurd counts never trap: negative ones cost nothing, huge ones cost a finite amount")
    func absurdCounts() {
        let price = ModelPrice(inputCostPerToken: 1e-6, outputCostPerToken: 2e-6, cachedInputCostPerToken: 5e-7)
        #expect(
            abs(price.cost(of: WireUsage(promptTokens: 5, completionTokens: 1, cachedTokens: Int.min)) - 7e-6) < 1e-15)
        #expect(price.cost(of: WireUsage(promptTokens: Int.min, completionTokens: Int.min, cachedTokens: Int.max)) == 0)
        let huge = price.cost(of: WireUsage(promptTokens: Int.max, completionTokens: Int.max, cachedTokens: Int.max))
        #expect(huge.isFinite && huge > 0)
    }

    @Test(
        "overrides win over the table; a per-call price wins over both; self-hosted costs 0; unknown models have no cost"
    )
    func overrides() async throws {
        let recorder = RecordingLogger()
        let overriddenRecorder = RecordingLogger()
        let llm = makeClient(loggers: [recorder])
        let custom = PriceTable.bundled.setting(
            ModelPrice(inputCostPerToken: 1, outputCostPerToken: 1), for: "openai/gpt-4o")
        let overridden = CompletionClient(providers: llm.providers, prices: custom, loggers: [overriddenRecorder])
        _ = try await overridden.completion(model: "openai/gpt-4o", messages: hi, options: .init(mockResponse: "x"))
        _ = try await overridden.completion(
            model: "openai/gpt-4o", messages: hi,
            options: .init(price: .init(inputCostPerToken: 0, outputCostPerToken: 1), mockResponse: "x"))
        _ = try await llm.completion(model: "hosted_vllm/local", messages: hi, options: .init(mockResponse: "x"))
        _ = try await llm.completion(model: "openai/unlisted", messages: hi, options: .init(mockResponse: "x"))
        await overridden.flush()
        await llm.flush()
        #expect(overriddenRecorder.payloads("success").map(\.responseCost) == [30, 20])
        #expect(recorder.payloads("success").map(\.responseCost) == [0, nil])
        try await overridden.shutdown()
        try await llm.shutdown()
    }
}
