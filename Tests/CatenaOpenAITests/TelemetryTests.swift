import Catena
import CatenaOpenAI
import CatenaTestingServer
import Foundation
import Synchronization
import InMemoryLogging
import InMemoryTracing
import Logging
import Metrics
import MetricsTestKit
import Testing
import Tracing
import CatenaTestServices

/// Spans and GenAI metrics of runs, with a tracer and a metrics backend bound to the test's task.
@Suite struct TelemetryTests {
    struct Weather: Decodable, Sendable { var city: String }

    /// Runs `body` with an in-memory tracer and test metrics bound to this task.
    func withTelemetry(_ body: () async throws -> Void) async throws -> (InMemoryTracer, TestMetrics) {
        let tracer = InMemoryTracer()
        let metrics = TestMetrics()
        try await withTracer(tracer) { try await withMetricsFactory(metrics) { try await body() } }
        return (tracer, metrics)
    }

    @Test func aChainIsOneTraceWhoseModelSpanFollowsTheGenAIConventions() async throws {
        try await withFaultServer({ _, _ in FaultServer.json(200, completionBody("Paris")) }) { _, client in
            let model = ChatVLLM(client: client, model: "m", parameters: .init(temperature: 0, maxTokens: 16, seed: 7))
            let chain = ChatPromptTemplate([.user("{q}")]) | model | StringOutputParser()
            let (tracer, metrics) = try await withTelemetry {
                let answer = try await chain.invoke(["q": "capital of France?"])
                #expect(answer == "Paris")
            }
            let spans = tracer.finishedSpans
            #expect(spans.count == 4)
            let root = try #require(spans.first { $0.parentSpanID == nil })
            #expect(Set(spans.map(\.traceID)) == [root.traceID])
            #expect(spans.filter { $0.parentSpanID == root.spanID }.count == 3)
            let chat = try #require(spans.first { $0.operationName == "chat m" })
            #expect(chat.kind == .client)
            #expect(chat.attributes.get("gen_ai.operation.name") == "chat")
            #expect(chat.attributes.get("gen_ai.provider.name") == "vllm")
            #expect(chat.attributes.get("gen_ai.request.model") == "m")
            #expect(chat.attributes.get("gen_ai.request.temperature") == .double(0))
            #expect(chat.attributes.get("gen_ai.request.max_tokens") == .int64(16))
            #expect(chat.attributes.get("gen_ai.request.seed") == .int64(7))
            #expect(chat.attributes.get("gen_ai.response.id") == "chatcmpl-9")
            #expect(chat.attributes.get("gen_ai.response.model") == "fault")
            #expect(chat.attributes.get("gen_ai.response.finish_reasons") == .stringArray(["stop"]))
            #expect(chat.attributes.get("gen_ai.usage.input_tokens") == .int64(5))
            #expect(chat.attributes.get("gen_ai.usage.output_tokens") == .int64(2))
            #expect(chat.status == nil)
            #expect(spans.filter { $0.kind == .internal }.count == 3)

            let duration = try metrics.expectRecorder(
                "gen_ai.client.operation.duration",
                [
                    ("gen_ai.operation.name", "chat"), ("gen_ai.provider.name", "vllm"), ("gen_ai.request.model", "m"),
                    ("gen_ai.response.model", "fault"),
                ])
            #expect(duration.values.count == 1 && duration.values[0] > 0)
            let tokens = metrics.recorders(label: "gen_ai.client.token.usage")
            #expect(tokens.flatMap(\.values).sorted() == [2, 5])
        }
    }

    @Test func messagesAreOnSpansOnlyWhenCaptureIsTurnedOn() async throws {
        try await withFaultServer({ _, _ in FaultServer.json(200, completionBody("Paris")) }) { _, client in
            let model = ChatVLLM(client: client, model: "m")
            let messages: [Message] = [.system("Be brief."), .user("Capital of France?")]
            let (plain, _) = try await withTelemetry { _ = try await model.invoke(.messages(messages)) }
            #expect(plain.finishedSpans.first?.attributes.get("gen_ai.input.messages") == nil)
            let (captured, _) = try await withTelemetry {
                try await TelemetryContent.$captured.withValue(true) { _ = try await model.invoke(.messages(messages)) }
            }
            let span = try #require(captured.finishedSpans.first)
            #expect(span.attributes.get("gen_ai.system_instructions") == #"[{"content":"Be brief.","type":"text"}]"#)
            #expect(
                span.attributes.get("gen_ai.input.messages")
                    == #"[{"parts":[{"content":"Capital of France?","type":"text"}],"role":"user"}]"#)
            #expect(
                span.attributes.get("gen_ai.output.messages")
                    == #"[{"finish_reason":"stop","parts":[{"content":"Paris","type":"text"}],"role":"assistant"}]"#)
        }
    }

    @Test func aFailedCallIsAnErrorSpanAndARetryIsASpanEvent() async throws {
        try await withFaultServer(
            retry: instantRetry,
            { _, index in
                index == 0
                    ? FaultServer.json(429, #"{"error":{"message":"slow down"}}"#)
                    : FaultServer.json(400, #"{"error":{"message":"prompt too long"}}"#)
            }
        ) { _, client in
            let (tracer, metrics) = try await withTelemetry {
                await #expect(throws: ModelServerError.self) {
                    try await ChatVLLM(client: client, model: "m").invoke("hi")
                }
            }
            let span = try #require(tracer.finishedSpans.first)
            #expect(span.status?.code == .error)
            #expect(span.attributes.get("error.type") == "ModelServerError.badRequest")
            #expect(span.errors.count == 1)
            #expect(span.events.map(\.name) == ["retry"])
            #expect(span.events.first?.attributes.get("catena.retry.attempt") == .int64(1))
            #expect(metrics.counterTotal(label: "catena.retries") == 1)
            let duration = metrics.recorders(label: "gen_ai.client.operation.duration")
            #expect(duration.count == 1)
        }
    }

    @Test func aToolRunIsAnExecuteToolSpanAndTheModelBodyRunsInItsSpan() async throws {
        let tool = FunctionTool<Weather>(name: "weather", description: "The weather", parameters: ["type": "object"]) {
            "sunny in \($0.city)"
        }
        let model = ContextProbe()
        let (tracer, _) = try await withTelemetry {
            let answer = try await tool.invoke(["city": "Oslo"])
            #expect(answer == "sunny in Oslo")
            _ = try await model.invoke("hi")
        }
        let spans = tracer.finishedSpans
        let toolSpan = try #require(spans.first { $0.operationName == "execute_tool weather" })
        #expect(toolSpan.attributes.get("gen_ai.tool.name") == "weather")
        #expect(toolSpan.attributes.get("gen_ai.operation.name") == "execute_tool")
        let chat = try #require(spans.first { $0.attributes.get("gen_ai.operation.name") == "chat" })
        // The model's body saw its run's span as the current context: requests it makes carry that span.
        let seen = try #require(model.seen.context.withLock { $0 })
        #expect(tracer.activeSpan(identifiedBy: seen) == nil)  // ended since
        #expect(seen.inMemorySpanContext?.spanID == chat.spanID)
    }
}

extension TelemetryTests {
    /// A handler that throws when a run ends.
    final class FailsAtTheEnd: CallbackHandler {
        struct SinkDown: Error {}
        func handle(_ event: CallbackEvent) throws { if event.endsRun { throw SinkDown() } }
    }

    @Test func catenasLogLinesGoToTheConfiguredLoggerInsideTheRunsSpan() async throws {
        var handler = InMemoryLogHandler()
        // What swift-otel's metadata provider does with its own span contexts.
        handler.metadataProvider = Logger.MetadataProvider {
            guard let span = ServiceContext.current?.inMemorySpanContext else { return [:] }
            return ["trace_id": "\(span.traceID)", "span_id": "\(span.spanID)"]
        }
        let logger = Logger(label: "app") { _ in handler }
        let cache = FailingCache()
        let model = ContextProbe(cache: cache)
        let (tracer, metrics) = try await withTelemetry {
            _ = try await model.invoke("hi", config: .init(callbacks: [FailsAtTheEnd()], logger: logger))
        }
        let chat = try #require(tracer.finishedSpans.first { $0.attributes.get("gen_ai.operation.name") == "chat" })
        let lines = handler.entries
        #expect(
            lines.map(\.message.description) == [
                "cache lookup failed; calling the model", "cache update failed",
                "callback handler threw; the error is isolated",
            ])
        for line in lines {
            #expect(line.metadata["trace_id"] == "\(chat.traceID)")
            #expect(line.metadata["span_id"] == "\(chat.spanID)")
            #expect(chat.attributes.get("catena.run.id") == .string(line.metadata["run_id"]?.description ?? ""))
        }
        #expect(lines.last?.metadata["hook"] == "on_llm_end")
        // A failing cache is a miss.
        #expect(
            try metrics.expectCounter(
                "catena.cache.misses",
                [
                    ("catena.run.type", "chat_model"), ("gen_ai.operation.name", "chat"),
                    ("gen_ai.provider.name", "probe"),
                ]
            ).totalValue == 1)
    }
}

/// A cache whose every read and write fails.
struct FailingCache: ResponseCache {
    struct Down: Error, CustomStringConvertible { var description: String { "cache down" } }
    func value(forKey key: String) async throws -> [UInt8]? { throw Down() }
    func setValue(_ value: [UInt8], forKey key: String, ttl: Duration?) async throws { throw Down() }
    func removeValue(forKey key: String) async throws { throw Down() }
}

/// A chat model that records the `ServiceContext` its body runs in.
struct ContextProbe: ChatModel {
    final class Seen: Sendable {
        let context = Mutex<ServiceContext?>(nil)
    }

    let seen = Seen()
    var cache: (any ResponseCache)?
    var llmType: String { "probe" }

    func generate(_ messages: [Message], stop: [String]?, runManager: LLMRunManager) async throws -> ChatResult {
        seen.context.withLock { $0 = ServiceContext.current }
        return ChatResult(message: .assistant("ok"))
    }
}
