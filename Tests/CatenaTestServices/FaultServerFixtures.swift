public import Catena
import CatenaOpenAI
public import CatenaTestingServer

/// A retry policy that does not wait, for tests.
public let instantRetry = RetryPolicy(
    maxAttempts: 3, initialDelay: .milliseconds(1), jitter: .zero,
    shouldRetry: { ($0 as? ModelServerError)?.isRetryable ?? false }, sleep: { _ in })

/// Runs `body` with a fault server and shuts it down afterwards.
public func withServer<T>(
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
public func answering(_ text: String) -> FaultServer.Script {
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

/// The one-message conversation most tests send.
public let hi: [Message] = [.user("Hi")]
