import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaTestingServer
import Foundation
import Testing
import CatenaTestServices

/// `embedding(model:input:)`: through the same seam, logging, cost and cache as `completion`.
@Suite("Embedding calls")
struct EmbeddingCompletionTests {
    static let baseURL = ProcessInfo.processInfo.environment["CATENA_EMBEDDINGS_BASE_URL"]

    @Test(
        "against the real server: a vector per text, hooks with the texts, usage and cost, then a cache hit",
        .enabled(if: baseURL != nil, "set CATENA_EMBEDDINGS_BASE_URL (bash scripts/test.sh does)"))
    func realServer() async throws {
        let recorder = RecordingLogger()
        let totals = UsageTotals()
        let llm = makeClient(cache: InMemoryResponseCache(), loggers: [recorder])
        let baseURL = try #require(Self.baseURL)
        let options = CompletionOptions(
            apiBase: baseURL, callbacks: [totals], price: .init(inputCostPerToken: 1, outputCostPerToken: 0))
        let texts = ["Bears eat honey.", "Compilers turn code into programs."]
        let first = try await llm.embedding(model: "hosted_vllm/local", input: texts, options: options)
        #expect(first.vectors.count == 2)
        #expect(first.vectors[0].count > 100 && first.vectors[0].count == first.vectors[1].count)
        let tokens = try #require(first.usage?.inputTokens)
        #expect(tokens > 0)
        let second = try await llm.embedding(model: "hosted_vllm/local", input: texts, options: options)
        #expect(second.vectors == first.vectors)
        await llm.flush()
        #expect(recorder.hooks == ["pre", "post", "success", "success"])
        let pre = try #require(recorder.payloads("pre").first)
        #expect(pre.callType == .embedding)
        #expect(pre.input == texts)
        #expect(pre.requestBody?.contains(#""input":["Bears eat honey.","#) == true)
        #expect(recorder.payloads("post").first?.rawResponse?.contains(#""embedding""#) == true)
        let successes = recorder.payloads("success")
        #expect(successes.map(\.cacheHit) == [false, true])
        #expect(successes.map(\.responseCost) == [Double(tokens), 0])
        #expect(successes.last?.savedCost == Double(tokens))
        #expect(successes.first?.usage?.promptTokens == tokens)
        // Both calls are embedding runs; the hit reports the usage it stored.
        #expect(totals.total.inputTokens == 2 * tokens)
        try await llm.shutdown()
    }

    @Test("a server error fails the call once with the server's message; the failure hook gets it")
    func serverError() async throws {
        try await withServer({ _, _ in FaultServer.json(400, #"{"error":{"message":"input too long"}}"#) }) { server in
            let recorder = RecordingLogger()
            let llm = makeClient(loggers: [recorder])
            await #expect(throws: ModelServerError.self) {
                try await llm.embedding(model: "hosted_vllm/m", input: ["x"], options: .init(apiBase: server.baseURL))
            }
            await llm.flush()
            #expect(recorder.hooks == ["pre", "failure"])
            #expect(recorder.payloads("failure").first?.error?.message.contains("input too long") == true)
            try await llm.shutdown()
        }
    }

    @Test("a wire format without an embeddings API fails clearly before anything is sent")
    func unsupportedWireFormat() async throws {
        let recorder = RecordingLogger()
        let llm = makeClient(loggers: [recorder])
        do {
            _ = try await llm.embedding(
                model: "anthropic/claude", input: ["x"], options: .init(apiBase: "http://127.0.0.1:9", apiKey: "k"))
            Issue.record("expected an error")
        } catch CompletionError.embeddingsUnsupported(let provider, _) {
            #expect(provider == "anthropic")
        }
        await llm.flush()
        #expect(recorder.hooks == ["failure"])
        try await llm.shutdown()
    }
}
