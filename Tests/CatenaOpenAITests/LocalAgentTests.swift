import Catena
import CatenaMacros
import CatenaOpenAI
import CatenaTestServices
import Foundation
import Testing

/// A city, as the agent's tools take it.
@JSONSchema struct CityQuery: Decodable, Sendable {
    /// The city's name, in English.
    var city: String
}

/// An agent on the real llama.cpp server with SmolLM2, which has no native tool calling: its tools are called
/// through JSON turns held to a schema by the server's grammar.
@Suite(.enabled(if: LocalModel.isAvailable, "set CATENA_LLM_BASE_URL (bash scripts/test.sh does)"), .serialized)
struct LocalAgentTests {
    static let tools: [any Tool] = [
        FunctionTool(name: "weather", description: "The current weather in a city.") { (query: CityQuery) in
            query.city == "Paris" ? "Sunny, 21 °C" : "Rainy, 12 °C"
        },
        FunctionTool(name: "clock", description: "The local time in a city.") { (_: CityQuery) in "14:05" },
    ]

    static func agent(_ client: ModelServerClient) throws -> Agent<ChatVLLM> {
        try Agent(
            model: LocalModel.chat(client, maxTokens: 60), tools: tools, toolCalling: .json,
            options: AgentOptions(maxSteps: 4))
    }

    @Test func theAgentCallsTheWeatherToolThenAnswers() async throws {
        try await LocalModel.withClient { client in
            let collector = RunCollector()
            let result = try await Self.agent(client).invoke(
                [.user("What is the weather in Paris?")], config: RunnableConfig(callbacks: [collector]))
            let call = try #require(result.messages[1].toolCalls.first)
            #expect(call.name == "weather")
            #expect(try call.parsedArguments() == ["city": "Paris"])
            #expect(result.messages[2] == .tool("Sunny, 21 °C", callID: call.id ?? ""))
            #expect(result.answer.role == .assistant && result.answer.toolCalls.isEmpty)
            #expect(!result.answer.text.isEmpty)
            #expect((result.usage?.inputTokens ?? 0) > 0)
            let root = try #require(collector.roots.first)
            #expect(root.children.prefix(3).map(\.type) == [.chatModel, .tool, .chatModel])
        }
    }

    @Test func updatesShowTheToolCallItsResultAndTheAnswer() async throws {
        try await LocalModel.withClient { client in
            var updates: [AgentUpdate] = []
            for try await update in try Self.agent(client).updates([.user("What is the weather in Paris?")]) {
                updates.append(update)
            }
            #expect(updates.first?.description == #"calling weather({"city":"Paris"})"#)
            #expect(updates.dropFirst().first?.description == "weather → Sunny, 21 °C")
            guard case .finished(let result) = updates.last else {
                Issue.record("the updates end without the result: \(updates)")
                return
            }
            #expect(updates.dropLast().last == .token(result.answer.text))
        }
    }
}
