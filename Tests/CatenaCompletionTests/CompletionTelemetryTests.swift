import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaTestingServer
import InMemoryTracing
import Testing
import Tracing

/// A `completion()` call is traced as the chat model run it is, and its request runs in its span.
@Suite struct CompletionTelemetryTests {
    @Test func aCallAndAFailedCallAreGenAISpans() async throws {
        try await withServer({ request, index in
            request.text.contains("fail") ? FaultServer.json(400, #"{"error":{"message":"no"}}"#) : answering("ok")(request, index)
        }) { server in
            let llm = makeClient()
            let tracer = InMemoryTracer()
            try await withTracer(tracer) {
                _ = try await llm.completion(model: "hosted_vllm/m", messages: hi, options: .init(apiBase: server.baseURL))
                await #expect(throws: ModelServerError.self) {
                    try await llm.completion(model: "hosted_vllm/m", messages: [.user("fail")], options: .init(apiBase: server.baseURL))
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
}
