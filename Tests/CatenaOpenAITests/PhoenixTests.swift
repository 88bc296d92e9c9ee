import Catena
import CatenaOpenAI
import Foundation
import Logging
import OTel
import ServiceLifecycle
import Testing
import Tracing
import CatenaTestServices

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Catena's spans in a real OpenTelemetry backend: Arize Phoenix (`bash scripts/phoenix.sh start`, which the test
/// command runs), reading the spans back from its REST API. `catena --otlp-endpoint` exports from its own process;
/// in this one, swift-otel's tracer is bound to the test's task (a bootstrap would trace every other test).
@Suite("Spans in Arize Phoenix", .timeLimit(.minutes(2)))
struct PhoenixTests {
    static let phoenix = ProcessInfo.processInfo.environment["CATENA_PHOENIX_URL"]
    static let model = ProcessInfo.processInfo.environment["CATENA_LLM_BASE_URL"]

    /// A span as Phoenix's REST API returns it.
    struct Span: Decodable {
        struct Context: Decodable {
            let trace_id: String
            let span_id: String
        }

        let name: String
        let context: Context
        let parent_id: String?
        let span_kind: String
        let status_code: String
        let attributes: [String: JSONValue]
    }

    /// Every span of the default project.
    func readSpans(at phoenix: String) async throws -> [Span] {
        struct Page: Decodable { let data: [Span] }
        let url = try #require(URL(string: "\(phoenix)/v1/projects/default/spans?limit=1000"))
        let (data, response) = try await URLSession.shared.data(from: url)
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: data, as: UTF8.self))")
        return try JSONDecoder().decode(Page.self, from: data).data
    }

    @Test(
        "the demo chain and a failing call reach Phoenix as traces: names, parents, kinds, GenAI attributes, error status",
        .enabled(
            if: phoenix != nil && model != nil,
            "set CATENA_PHOENIX_URL and CATENA_LLM_BASE_URL (bash scripts/test.sh does)"))
    func spansReachPhoenix() async throws {
        let phoenix = try #require(Self.phoenix), model = try #require(Self.model)
        let demo = try await CatenaCommand.run([
            "demo", "Say hi.", "--base-url", model, "--max-tokens", "8", "--otlp-endpoint", phoenix,
        ])
        #expect(demo.status == 0, "\(demo.errors)")
        // Phoenix takes traces only: metrics (asked for by default) are left out after one warning naming the
        // flag, not reported as a failed export on every run.
        #expect(
            demo.errors.components(separatedBy: "does not take metrics (405 from /v1/metrics)").count == 2,
            "\(demo.errors)")
        #expect(
            demo.errors.contains("--otlp-signals traces") && !demo.errors.contains("Failed to export"), "\(demo.errors)"
        )
        let refused = try await CatenaCommand.run([
            "chat", "Hi", "--base-url", "http://127.0.0.1:9/v1", "--otlp-endpoint", phoenix,
        ])
        #expect(refused.status != 0)

        // Phoenix ingests asynchronously: wait until the spans are there.
        var spans: [Span] = []
        for _ in 0..<100 {
            spans = try await readSpans(at: phoenix)
            // The failed call's own span (its HTTP request's failed span may come in an earlier batch).
            let failedCall = spans.contains { $0.status_code == "ERROR" && $0.name == "chat local" }
            if failedCall && spans.contains(where: { $0.name == "demo_chain" }) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let root = try #require(spans.first { $0.name == "demo_chain" })
        #expect(root.parent_id == nil)
        let tree = spans.filter { $0.context.trace_id == root.context.trace_id }
        let chat = try #require(tree.first { $0.name == "chat local" })
        #expect(chat.parent_id == root.context.span_id)
        #expect(chat.span_kind == "LLM")
        #expect(chat.attributes["gen_ai.operation.name"] == "chat")
        #expect(chat.attributes["gen_ai.provider.name"] == "vllm")
        #expect(chat.attributes["gen_ai.request.max_tokens"] == 8)
        // Phoenix reads the GenAI usage as its own token counts.
        #expect((chat.attributes["llm.token_count.prompt"]?.intValue ?? 0) > 0)
        #expect(chat.attributes["gen_ai.usage.output_tokens"] == chat.attributes["llm.token_count.completion"])
        // The model's HTTP request (AsyncHTTPClient's span) joined the trace under the model's span.
        #expect(tree.contains { $0.name == "POST" && $0.parent_id == chat.context.span_id })
        #expect(
            Set(tree.map(\.name)).isSuperset(of: [
                "demo_chain", "chat local", "ChatPromptTemplate", "StringOutputParser",
            ]))
        #expect(tree.allSatisfy { $0.status_code != "ERROR" })
        let failed = try #require(spans.first { $0.status_code == "ERROR" && $0.name == "chat local" })
        #expect(failed.parent_id == nil)
        #expect(failed.attributes["error.type"] == "ModelServerError.cannotConnect")
    }

    struct Weather: Decodable, Sendable { var city: String }

    @Test(
        "a chain that ends in a tool run, against the local model, reaches Phoenix with the tool span under its step",
        .enabled(
            if: phoenix != nil && model != nil,
            "set CATENA_PHOENIX_URL and CATENA_LLM_BASE_URL (bash scripts/test.sh does)"))
    func aToolRunReachesPhoenix() async throws {
        let phoenix = try #require(Self.phoenix), model = try #require(Self.model)
        var configuration = OTel.Configuration.default
        configuration.serviceName = "catena-tests"
        configuration.diagnosticLogLevel = .warning
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.otlpExporter.endpoint = "\(phoenix)/v1/traces"
        let (tracer, exporter) = try OTel.makeTracingBackend(configuration: configuration)
        let group = ServiceGroup(configuration: .init(services: [exporter], logger: Logger(label: "test.phoenix")))
        let tool = FunctionTool<Weather>(
            name: "weather", description: "The weather in a city", parameters: ["type": "object"]
        ) {
            "sunny in \($0.city)"
        }
        let city = "Oslo", rootName = "tool_chain_\(UUID().uuidString.prefix(8))"
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await withTracer(tracer) {
                try await ModelServerClient.withClient(.openAICompatible(baseURL: model)) { client in
                    let chat = ChatVLLM(client: client, model: "local", parameters: .init(maxTokens: 4))
                    let chain =
                        ChatPromptTemplate([.user("{q}")]) | chat | StringOutputParser()
                        | RunnableLambda(name: "forecast") { (_: String) in
                            try await tool.invoke(["city": .string(city)])
                        }
                    let forecast = try await chain.invoke(["q": "Say hi."], config: .init(runName: rootName))
                    #expect(forecast == "sunny in \(city)")
                }
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }

        // Phoenix ingests asynchronously: wait until the whole trace is there.
        var spans: [Span] = []
        for _ in 0..<100 {
            spans = try await readSpans(at: phoenix)
            if let root = spans.first(where: { $0.name == rootName }),
                spans.contains(where: {
                    $0.name == "execute_tool weather" && $0.context.trace_id == root.context.trace_id
                })
            {
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let root = try #require(spans.first { $0.name == rootName })
        let tree = spans.filter { $0.context.trace_id == root.context.trace_id }
        let step = try #require(tree.first { $0.name == "forecast" })
        #expect(step.parent_id == root.context.span_id)
        let toolSpan = try #require(tree.first { $0.name == "execute_tool weather" })
        #expect(toolSpan.parent_id == step.context.span_id)
        #expect(toolSpan.attributes["gen_ai.tool.name"] == "weather")
        #expect(toolSpan.attributes["gen_ai.operation.name"] == "execute_tool")
        #expect(toolSpan.status_code == "OK" || toolSpan.status_code == "UNSET")
        let chat = try #require(tree.first { $0.name == "chat local" })
        #expect(chat.span_kind == "LLM")
        #expect(chat.attributes["server.address"] == "127.0.0.1")
        #expect(
            Set(tree.map(\.name)).isSuperset(of: [
                rootName, "ChatPromptTemplate", "chat local", "StringOutputParser", "forecast", "execute_tool weather",
            ]))
    }
}
