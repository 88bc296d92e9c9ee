import Catena
import CatenaCompletion
import CatenaOpenAI
import CatenaTestingServer

/// A client with no environment (so tests never pick up real keys) and instant retries.
func makeClient(
    cache: (any ResponseCache)? = nil, loggers: [any CompletionLogger] = [], logBufferCapacity: Int = 10_000
)
    -> CompletionClient
{
    let providers = ProviderRegistry([
        ModelServerProvider.openAI(environment: [:], retry: instantRetry),
        ModelServerProvider.hostedVLLM(environment: [:], retry: instantRetry),
        ModelServerProvider.anthropic(environment: [:], retry: instantRetry),
    ])
    return CompletionClient(providers: providers, cache: cache, loggers: loggers, logBufferCapacity: logBufferCapacity)
}

/// A retry policy that does not wait.
let instantRetry = RetryPolicy(
    maxAttempts: 3, initialDelay: .milliseconds(1), jitter: .zero,
    shouldRetry: { ($0 as? ModelServerError)?.isRetryable ?? false }, sleep: { _ in })

/// Runs `body` with a fault server and shuts it down afterwards.
func withServer<T>(
    _ script: @escaping FaultServer.Script, _ body: (FaultServer) async throws -> T
) async throws -> T {
    let server = try await FaultServer.start(script)
    do {
        let result = try await body(server)
        try await server.shutdown()
        return result
    } catch {
        try? await server.shutdown()
        throw error
    }
}

/// A server that always answers `text`: as JSON, or as an SSE stream when the request asks to stream.
func answering(_ text: String) -> FaultServer.Script {
    { request, _ in
        guard request.text.contains(#""stream":true"#) else { return FaultServer.json(200, completionBody(text)) }
        return [
            .head(200, FaultServer.sse), FaultServer.chunk(text),
            FaultServer.event(
                #"{"id":"c","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#),
            FaultServer.event("[DONE]"), .end,
        ]
    }
}

let hi: [Message] = [.user("Hi")]
