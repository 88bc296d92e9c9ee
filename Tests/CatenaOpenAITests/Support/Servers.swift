import Catena
import CatenaOpenAI
import CatenaTestingServer

/// Runs `body` with a fault server playing `script` and a client for it; both are shut down afterwards.
@discardableResult
func withFaultServer<T>(
    retry: RetryPolicy = ModelServerConfiguration.defaultRetry, readTimeout: Duration = .seconds(10),
    headers: [String: String] = [:], apiKey: Secret? = "sk-test",
    _ script: @escaping FaultServer.Script, _ body: (FaultServer, ModelServerClient) async throws -> T
) async throws -> T {
    let server = try await FaultServer.start(script)
    defer { Task { try? await server.shutdown() } }
    let configuration = ModelServerConfiguration(
        endpoint: .openAICompatible(baseURL: server.baseURL), apiKey: apiKey, headers: headers,
        readTimeout: readTimeout,
        retry: retry)
    return try await ModelServerClient.withClient(configuration) { client in try await body(server, client) }
}
