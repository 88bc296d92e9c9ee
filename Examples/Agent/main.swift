import Catena
import CatenaMacros
import CatenaOpenAI
import Foundation

// An agent with two tools on the local model server (`bash scripts/llm-server.sh start`), streaming what it does.
// The small local model has no native tool calling, so it calls its tools through JSON turns held to a schema.
// Run: swift run example-agent ["question"]

/// A city, as the tools take it.
@JSONSchema struct CityQuery: Decodable, Sendable {
    /// The city's name, in English.
    var city: String
}

let weather = FunctionTool(name: "weather", description: "The current weather in a city.") { (query: CityQuery) in
    query.city == "Paris" ? "Sunny, 21 °C" : "Rainy, 12 °C"
}
let clock = FunctionTool(name: "clock", description: "The local time in a city.") { (query: CityQuery) in
    "14:05 in \(query.city)"
}

let baseURL = ProcessInfo.processInfo.environment["CATENA_LLM_BASE_URL"] ?? "http://127.0.0.1:8089/v1"
let question = CommandLine.arguments.dropFirst().first ?? "What is the weather in Paris?"
try await ModelServerClient.withClient(.openAICompatible(baseURL: baseURL)) { client in
    let chat = ChatVLLM(client: client, model: "local", parameters: SamplingParameters(temperature: 0, maxTokens: 80))
    let agent = try Agent(
        model: chat, tools: [weather, clock], toolCalling: .json, middleware: [.modelCallLimit(6)],
        options: AgentOptions(maxSteps: 8))
    // Add `RunnableConfig(callbacks: [ConsoleTracer()])` to print the run tree: each model and tool call.
    for try await update in agent.updates([.user(question)]) {
        switch update {
        case .token(let text): print(text, terminator: "")
        case .toolCall, .toolResult, .partialAnswer: print("·", update)
        case .finished(let result): print("\n(\(result.steps) model calls)")
        }
    }
}
