import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaTestServices
import Testing

/// An agent on `completion()` and on the router, against the real local model server: the completion layer's
/// runs are the agent's model runs (no run of their own around them), and its loggers see each turn.
@Suite("An agent through completion()", .enabled(if: LocalServers.isAvailable), .timeLimit(.minutes(3)))
struct CompletionAgentTests {
    struct City: Decodable, Sendable { let city: String }

    static let weather = FunctionTool(
        name: "weather", description: "The current weather in a city.",
        parameters: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]
    ) { (query: City) in query.city == "Paris" ? "Sunny, 21 °C" : "Rainy, 12 °C" }

    static let options = CompletionOptions(
        parameters: SamplingParameters(temperature: 0, maxTokens: 60, seed: 7), apiBase: LocalServers.baseURL)

    /// At most four model turns: SmolLM2 can call the tool again and again until its context (1,024 tokens) is full.
    static let limit: [AgentMiddleware] = [.modelCallLimit(4)]

    static func expectWeatherRun(_ result: AgentResult, _ collector: RunCollector) throws {
        let call = try #require(result.messages[1].toolCalls.first)
        #expect(call.name == "weather" && (try? call.parsedArguments()) == ["city": "Paris"])
        #expect(result.messages[2].text == "Sunny, 21 °C")
        #expect(!result.answer.text.isEmpty && result.answer.toolCalls.isEmpty)
        let root = try #require(collector.roots.first)
        // Model turns and tool calls in turn. (How many is the model's choice, up to the limit: the server batches
        // concurrent requests, and a batch can change a greedy answer, even into calling the tool again and again.)
        let types = root.children.map(\.type).filter { $0 == .chatModel || $0 == .tool }  // not the middleware's
        #expect(types.count >= 3)
        #expect(types.enumerated().allSatisfy { index, type in type == (index % 2 == 0 ? .chatModel : .tool) })
        #expect(root.children.filter { $0.type == .chatModel || $0.type == .tool }.allSatisfy { $0.children.isEmpty })
    }

    @Test("through a CompletionClient, each turn logged once")
    func throughTheClient() async throws {
        let logger = RecordingLogger()
        let llm = makeClient(loggers: [logger])
        let model = CompletionChatModel(client: llm, model: "hosted_vllm/local", options: Self.options)
        let collector = RunCollector()
        let result = try await Agent(model: model, tools: [Self.weather], toolCalling: .json, middleware: Self.limit)
            .invoke([.user("What is the weather in Paris?")], config: RunnableConfig(callbacks: [collector]))
        try Self.expectWeatherRun(result, collector)
        await llm.flush()
        let turns = collector.roots.first?.children.filter { $0.type == .chatModel }.count
        #expect(logger.payloads("success").count == turns)
        try await llm.shutdown()
    }

    @Test("through a Router's model group")
    func throughTheRouter() async throws {
        let llm = makeClient()
        let router = Router(
            client: llm,
            configuration: RouterConfiguration(deployments: [
                RouterDeployment(id: "local", group: "assistant", model: "hosted_vllm/local", options: Self.options)
            ]))
        let collector = RunCollector()
        let result = try await Agent(
            model: CompletionChatModel(router: router, model: "assistant"), tools: [Self.weather], toolCalling: .json,
            middleware: Self.limit
        ).invoke([.user("What is the weather in Paris?")], config: RunnableConfig(callbacks: [collector]))
        try Self.expectWeatherRun(result, collector)
        try await llm.shutdown()
    }
}
