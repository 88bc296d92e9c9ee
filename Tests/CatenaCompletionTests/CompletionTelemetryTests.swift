import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaTestingServer
import InMemoryTracing
import Metrics
import MetricsTestKit
import Testing
import Tracing
import CatenaTestServices

/// A `completion()` call is traced as the chat model run it is, and its request runs in its span.
@Suite struct CompletionTelemetryTests {
    @Test func aCallAndAFailedCallAreGenAISpans() async throws {
        try await withServer({ request, index in
            request.text.contains("fail")
                ? FaultServer.json(400, #"{"error":{"message":"no"}}"#) : answering("ok")(request, index)
        }) { server in
            let llm = makeClient()
            let tracer = InMemoryTracer()
            try await withTracer(tracer) {
                _ = try await llm.completion(
                    model: "hosted_vllm/m", messages: hi, options: .init(apiBase: server.baseURL))
                await #expect(throws: ModelServerError.self) {
                    try await llm.completion(
                        model: "hosted_vllm/m", messages: [.user("fail")], options: .init(apiBase: server.baseURL))
                }
                let chunks = try await llm.streamingCompletion(
                    model: "hosted_vllm/m", messages: hi, options: .init(apiBase: server.baseURL)
                ).collect()
                #expect(!chunks.isEmpty)
            }
            let spans = tracer.finishedSpans
            let calls = spans.filter { $0.attributes.get("gen_ai.operation.name") == "chat" }
            #expect(calls.map(\.operationName) == ["chat m", "chat m", "chat m"])
            #expect(calls.allSatisfy { $0.kind == .client && $0.attributes.get("gen_ai.provider.name") == "vllm" })
            #expect(calls[0].attributes.get("gen_ai.usage.input_tokens") == .int64(5))
            #expect(calls[1].status?.code == .error)
            #expect(calls[1].attributes.get("error.type") == "ModelServerError.badRequest")
            #expect(Set(calls.map(\.traceID)).count == 3)
            // Each call's HTTP request (AsyncHTTPClient's span) is a child of the call's span: it joined the trace.
            let requests = spans.filter { $0.operationName == "POST" }
            #expect(requests.count == 3)
            #expect(Set(requests.compactMap(\.parentSpanID)) == Set(calls.map(\.spanID)))
            try await llm.shutdown()
        }
    }

    @Test func aPricedCallCarriesItsCostAndTheServerAndCacheLookupsAreCounted() async throws {
        try await withServer(answering("ok")) { server in
            let llm = makeClient(cache: InMemoryResponseCache())
            let tracer = InMemoryTracer()
            let metrics = TestMetrics()
            let options = CompletionOptions(
                apiBase: server.baseURL, price: ModelPrice(inputCostPerToken: 1, outputCostPerToken: 2))
            try await withTracer(tracer) {
                try await withMetricsFactory(metrics) {
                    for _ in 0..<2 {
                        _ = try await llm.completion(model: "hosted_vllm/m", messages: hi, options: options)
                    }
                }
            }
            let calls = tracer.finishedSpans.filter { $0.attributes.get("gen_ai.operation.name") == "chat" }
            // 5 prompt tokens and 2 generated ones; the second answer comes from the cache and costs nothing.
            #expect(calls.map { $0.attributes.get("catena.cost") } == [.double(9), .double(0)])
            #expect(calls[0].attributes.get("server.address") == "127.0.0.1")
            #expect(calls[0].attributes.get("server.port") == .int64(Int64(server.port)))
            #expect(calls[1].attributes.get("server.address") == nil)
            #expect(calls[1].events.map(\.name) == ["cache_hit"])
            let dimensions = [
                ("gen_ai.operation.name", "chat"), ("gen_ai.provider.name", "vllm"), ("gen_ai.request.model", "m"),
            ]
            let counted = [("catena.run.type", "chat_model")] + dimensions
            #expect(try metrics.expectCounter("catena.cache.misses", counted).totalValue == 1)
            #expect(try metrics.expectCounter("catena.cache.hits", counted).totalValue == 1)
            // The test backend has no floating-point counters: swift-metrics rounds them onto an integer one.
            let cost = try metrics.expectCounter(
                "catena.client.cost", dimensions + [("gen_ai.response.model", "fault")])
            #expect(cost.totalValue == 9)
            try await llm.shutdown()
        }
    }
}
