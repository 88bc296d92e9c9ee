import Catena
import CatenaOpenAI
import Foundation
import Testing

/// The local model server the test command starts (`scripts/test.sh` sets `CATENA_LLM_BASE_URL`).
enum LocalModel {
    static let baseURL = ProcessInfo.processInfo.environment["CATENA_LLM_BASE_URL"]

    /// Whether the server is configured; without it the integration tests are skipped (run them with
    /// `bash scripts/test.sh`, which starts the server).
    static let isAvailable = baseURL != nil

    /// Runs `body` with a client for the local server.
    static func withClient<T>(_ body: (ModelServerClient) async throws -> T) async throws -> T {
        let configuration = ModelServerConfiguration.openAICompatible(baseURL: try #require(baseURL))
        return try await ModelServerClient.withClient(configuration, body)
    }

    /// Greedy, short answers.
    static func chat(
        _ client: ModelServerClient, maxTokens: Int = 12, _ adjust: (inout SamplingParameters) -> Void = { _ in }
    )
        -> ChatVLLM
    {
        var parameters = SamplingParameters(temperature: 0, maxTokens: maxTokens, seed: 7)
        adjust(&parameters)
        return ChatVLLM(client: client, model: "local", parameters: parameters)
    }
}
